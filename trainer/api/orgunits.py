"""Org-unit endpoints."""

from flask import jsonify
from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..bounds import date_arg
from ..extensions import db
from ..org.models import OrgUnit
from ..org.periods import OrgUnitPeriod, covers
from ..org.structure import children_on, name_on
from ..timeutil import local_today
from . import bp
from .auth import scope


def unit_summary(unit, name=None):
    return {"code": unit.code, "name": name or unit.name, "kind": unit.kind}


def iso(day):
    return day.isoformat() if day else None


def parent_on(unit, day):
    parent = aliased(OrgUnit)
    return db.session.scalar(
        select(parent.code)
        .join(OrgUnitPeriod, OrgUnitPeriod.parent_id == parent.id)
        .where(OrgUnitPeriod.org_unit_id == unit.id, covers(OrgUnitPeriod, day))
    )


@bp.get("/orgunits/<code>")
def orgunit_detail(code):
    """The unit with its dates and successor; ``children`` are those in force on ``as_of``."""
    unit = scope().unit_or_404(code)
    as_of = date_arg("as_of", local_today(), iso_only=True)
    in_force = unit.in_force(as_of)
    children = children_on(unit, as_of) if in_force else []
    return jsonify(
        **unit_summary(unit, name_on(unit, as_of) if in_force else None),
        parent_code=parent_on(unit, as_of)
        if in_force
        else (unit.parent.code if unit.parent else None),
        moet_id=unit.moet_id,
        school_level=unit.school_level,
        disadvantaged=unit.disadvantaged,
        valid_from=iso(unit.valid_from),
        valid_to=iso(unit.valid_to),
        successor_code=unit.successor_code,
        children=[
            unit_summary(child, name)
            for child, name in sorted(children, key=lambda pair: pair[0].code)
        ],
    )
