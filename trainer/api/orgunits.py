"""Org-unit endpoints."""

from flask import jsonify
from sqlalchemy import select

from ..extensions import db
from ..org.models import OrgUnit
from . import bp
from .auth import scope


def unit_summary(unit):
    return {"code": unit.code, "name": unit.name, "kind": unit.kind}


@bp.get("/orgunits/<code>")
def orgunit_detail(code):
    unit = scope().unit_or_404(code)
    children = db.session.scalars(
        select(OrgUnit).where(OrgUnit.parent_id == unit.id).order_by(OrgUnit.code)
    )
    return jsonify(
        **unit_summary(unit),
        parent_code=unit.parent.code if unit.parent else None,
        moet_id=unit.moet_id,
        school_level=unit.school_level,
        disadvantaged=unit.disadvantaged,
        children=[unit_summary(child) for child in children],
    )
