"""Session endpoints: create (409 on a trainer overlap), list, detail, enrol, attendance."""

from datetime import datetime

from flask import current_app, g, jsonify, request
from sqlalchemy import select

from ..certificates.models import Module
from ..errors import InvalidInput, NotFound
from ..extensions import db
from ..org.models import OrgUnit, Staff
from ..training import services
from ..training.queries import roster, sessions_query, visible_roster
from ..training.scope import can_schedule, session_or_404
from . import bp
from .auth import scope
from .json import json_body, need, plain_text


def session_json(session):
    return {
        "id": session.id,
        "module": session.module.code,
        "title": session.title,
        "trainer": session.trainer.staff_code,
        "org": session.org_unit.code,
        "location": session.location,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "capacity": session.capacity,
        "enrolled": session.enrolled_count,
        "status": session.status,
    }


def parse_time(body, name):
    value = need(body, name, str)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} must be an ISO 8601 date-time", field=name) from None
    if moment.tzinfo is None:
        raise InvalidInput(f"{name} needs a time-zone offset, e.g. +07:00", field=name)
    return moment


def manageable():
    if not can_schedule(scope()):
        raise NotFound("not found")


@bp.post("/sessions")
def session_create():
    manageable()
    body = json_body()
    user_scope = scope()
    module = db.session.scalar(select(Module).where(Module.code == need(body, "module", str)))
    if module is None:
        raise InvalidInput("unknown module", field="module")
    trainer = db.session.scalar(user_scope.staff().where(
        Staff.staff_code == need(body, "trainer", str)))
    if trainer is None:
        raise InvalidInput("unknown trainer staff code (or outside your scope)", field="trainer")
    venue = db.session.scalar(select(OrgUnit).where(OrgUnit.code == need(body, "org", str)))
    if not user_scope.can_see_unit(venue):
        raise InvalidInput("unknown org code (or outside your scope)", field="org")
    capacity = need(body, "capacity", int)
    title = plain_text(need(body, "title", str), "title", 200)
    if not title:
        raise InvalidInput("title must have 1 to 200 characters", field="title")
    location = body.get("location") or ""
    if not isinstance(location, str):
        raise InvalidInput("location must be text of at most 200 characters", field="location")
    location = plain_text(location, "location", 200)
    session = services.create_session(
        module=module, title=title, trainer=trainer, venue=venue, location=location,
        starts_at=parse_time(body, "starts_at"), ends_at=parse_time(body, "ends_at"),
        capacity=capacity, created_by=g.api_user)
    db.session.commit()
    return jsonify(session_json(session)), 201


def parse_query_time(name):
    value = request.args.get(name)
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} must be an ISO 8601 date or date-time", field=name) from None
    if moment.tzinfo is None:
        from ..training.forms import LOCAL

        moment = moment.replace(tzinfo=LOCAL)
    return moment


@bp.get("/sessions")
def session_list():
    user_scope = scope()
    unit = user_scope.unit_or_404(request.args["org"]) if request.args.get("org") else None
    stmt = sessions_query(user_scope, unit=unit, start=parse_query_time("from"),
                          end=parse_query_time("to"))
    limit = current_app.config.get("API_LIST_LIMIT", 500)
    return jsonify(items=[session_json(s) for s in db.session.scalars(stmt.limit(limit))])


@bp.get("/sessions/<int:session_id>")
def session_detail(session_id):
    user_scope = scope()
    session = session_or_404(user_scope, session_id)
    return jsonify(**session_json(session), enrollments=[
        {"staff_code": e.staff.staff_code, "full_name": e.staff.full_name, "status": e.status}
        for e in visible_roster(user_scope, session)
    ])


@bp.post("/sessions/<int:session_id>/enrollments")
def session_enroll(session_id):
    manageable()
    user_scope = scope()
    session = session_or_404(user_scope, session_id)
    codes = need(json_body(), "staff_codes", list)
    if not codes or not all(isinstance(c, str) for c in codes):
        raise InvalidInput("staff_codes must be a non-empty list of staff codes")
    people = db.session.scalars(user_scope.staff().where(
        Staff.staff_code.in_(codes), Staff.status == "active")).all()
    unknown = sorted(set(codes) - {p.staff_code for p in people})
    if unknown:
        raise InvalidInput("unknown staff codes (or outside your scope)", unknown=unknown)
    added = services.enroll(session, people, actor=g.api_user)
    db.session.commit()
    code_of = {p.id: p.staff_code for p in people}
    return jsonify(session_json(session) | {"added": [code_of[e.staff_id] for e in added]})


@bp.put("/sessions/<int:session_id>/attendance")
def session_attendance(session_id):
    manageable()
    session = session_or_404(scope(), session_id)
    records = need(json_body(), "records", list)
    pairs = []
    for record in records:
        if not isinstance(record, dict) or not isinstance(record.get("staff_code"), str) \
                or not isinstance(record.get("status"), str):
            raise InvalidInput("each record needs staff_code and status as text")
        pairs.append((record["staff_code"], record["status"]))
    services.record_attendance_many(session, pairs, marked_by=g.api_user)
    db.session.commit()
    return jsonify(id=session.id, enrollments=[
        {"staff_code": e.staff.staff_code, "full_name": e.staff.full_name, "status": e.status}
        for e in roster(session)
    ])
