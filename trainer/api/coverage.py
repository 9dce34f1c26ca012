"""GET /coverage exactly as SPEC §5."""

from datetime import date

from flask import jsonify, request

from ..certificates.edge import level_or_none
from ..coverage.services import cached_coverage
from ..errors import InvalidInput, NotFound
from ..labels import POSITIONS
from ..timeutil import local_today
from . import bp
from .auth import scope


@bp.get("/coverage")
def coverage_get():
    user_scope = scope()
    if user_scope.role not in ("admin", "manager"):
        raise NotFound("not found")
    unit = user_scope.unit_or_404(request.args["org"]) if request.args.get("org") \
        else user_scope.home_unit()
    level = level_or_none(request.args.get("level") or "basic")
    if level is None:
        raise InvalidInput("unknown level", field="level")
    try:
        as_of = date.fromisoformat(request.args["as_of"]) if request.args.get("as_of") \
            else local_today()
    except ValueError:
        raise InvalidInput("as_of must be a date YYYY-MM-DD", field="as_of") from None
    position = request.args.get("position") or None
    if position is not None and position not in POSITIONS:
        raise InvalidInput("unknown position", field="position")
    head, rows = cached_coverage(unit, level, as_of, position)
    return jsonify(org=unit.code, level=level.code, as_of=as_of.isoformat(),
                   **{k: v for k, v in head.as_dict().items() if k not in ("org", "name", "kind")},
                   children=[row.as_dict() for row in rows])
