"""GET /coverage exactly as SPEC §5."""

from flask import jsonify, request

from ..accounts.scope import Capability
from ..bounds import date_arg
from ..certificates.request_helpers import level_or_none
from ..coverage.breakdown import parse_dimensions
from ..coverage.services import cached_coverage
from ..coverage.yearly import cached_breakdown, parse_structure, year_on_year
from ..curriculum.errors import CurriculumError
from ..errors import Common, InvalidInput, NotFound
from ..labels import POSITIONS
from ..org.values import Position
from ..timeutil import local_today
from . import bp
from .auth import scope


def coverage_target():
    """(unit, level, as_of) of a coverage request: ``org`` (default the caller's home unit),
    ``level`` (default basic), ``as_of`` (default today in Vietnam), in the caller's scope."""
    user_scope = scope()
    if not user_scope.can(Capability.VIEW_COVERAGE):
        raise NotFound(Common.NOT_FOUND)
    unit = (
        user_scope.unit_or_404(request.args["org"])
        if request.args.get("org")
        else user_scope.home_unit()
    )
    level = level_or_none(request.args.get("level") or "basic")
    if level is None:
        raise InvalidInput(CurriculumError.UNKNOWN_LEVEL, field="level")
    as_of = date_arg("as_of", local_today(), iso_only=True)
    return unit, level, as_of


@bp.get("/coverage")
def coverage_get():
    unit, level, as_of = coverage_target()
    position = request.args.get("position") or None
    if position is not None and position not in POSITIONS:
        raise InvalidInput(Common.UNKNOWN_VALUE, field="position", allowed=list(Position))
    head, rows = cached_coverage(unit, level, as_of, position)
    return jsonify(
        org=unit.code,
        level=level.code,
        as_of=as_of.isoformat(),
        **{k: v for k, v in head.as_dict().items() if k not in ("org", "name", "kind")},
        children=[row.as_dict() for row in rows],
    )


@bp.get("/coverage/breakdown")
def coverage_breakdown_get():
    """SPEC §9: coverage of a unit on a date broken down by one or two dimensions."""
    unit, level, as_of = coverage_target()
    by = parse_dimensions(request.args.get("by"))
    structure = parse_structure(request.args.get("compare"))
    if structure is None:
        rows, extra = cached_breakdown(unit, level, as_of, by), {}
    else:  # year on year: last year's figures and the change in points beside each cell
        then, rows = year_on_year(unit, level, as_of, by, structure)
        extra = {"compare": structure.value, "last_year_as_of": then.isoformat()}
    return jsonify(
        org=unit.code,
        level=level.code,
        as_of=as_of.isoformat(),
        by=[d.value for d in by],
        rows=rows,
        **extra,
    )
