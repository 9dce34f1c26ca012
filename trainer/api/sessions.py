"""Session endpoints: create (409 on a trainer overlap), list, detail, enrol, attendance."""

from flask import current_app, g, jsonify, request
from sqlalchemy import select

from ..accounts.scope import Capability
from ..bounds import BadParameter, parse_datetime
from ..curriculum.errors import CurriculumError
from ..curriculum.models import Module
from ..errors import Common, InvalidInput, NotFound
from ..extensions import db
from ..org.models import OrgUnit, Staff
from ..training import services
from ..training.errors import TrainingError
from ..training.queries import roster, sessions_query, visible_roster
from ..training.scope import session_or_404
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
    return parse_datetime(need(body, name, str), name)


def manageable(capability=Capability.SCHEDULE_SESSIONS):
    if not scope().can(capability):
        raise NotFound(Common.NOT_FOUND)


@bp.post("/sessions")
def session_create():
    manageable()
    body = json_body()
    user_scope = scope()
    module = db.session.scalar(select(Module).where(Module.code == need(body, "module", str)))
    if module is None:
        raise InvalidInput(CurriculumError.UNKNOWN_MODULE, field="module")
    trainer = db.session.scalar(
        user_scope.staff().where(Staff.staff_code == need(body, "trainer", str))
    )
    if trainer is None:
        raise InvalidInput(Common.UNKNOWN_STAFF, field="trainer")
    venue = db.session.scalar(select(OrgUnit).where(OrgUnit.code == need(body, "org", str)))
    if not user_scope.can_see_unit(venue):
        raise InvalidInput(Common.UNKNOWN_ORG, field="org")
    capacity = need(body, "capacity", int)
    title = plain_text(need(body, "title", str), "title")
    location = body.get("location") or ""
    if not isinstance(location, str):
        raise InvalidInput(Common.WRONG_TYPE, field="location", expected="string")
    location = plain_text(location, "location")
    session = services.create_session(
        module=module,
        title=title,
        trainer=trainer,
        venue=venue,
        location=location,
        starts_at=parse_time(body, "starts_at"),
        ends_at=parse_time(body, "ends_at"),
        capacity=capacity,
        created_by=g.api_user,
    )
    return jsonify(session_json(session)), 201


def parse_query_time(name):
    value = request.args.get(name)
    if not value:
        return None
    from ..training.forms import LOCAL

    return parse_datetime(value, name, default_zone=LOCAL, error=BadParameter)


@bp.get("/sessions")
def session_list():
    user_scope = scope()
    unit = user_scope.unit_or_404(request.args["org"]) if request.args.get("org") else None
    stmt = sessions_query(
        user_scope, unit=unit, start=parse_query_time("from"), end=parse_query_time("to")
    )
    limit = current_app.config.get("API_LIST_LIMIT", 500)
    return jsonify(items=[session_json(s) for s in db.session.scalars(stmt.limit(limit))])


@bp.get("/sessions/<int:session_id>")
def session_detail(session_id):
    user_scope = scope()
    session = session_or_404(user_scope, session_id)
    return jsonify(
        **session_json(session),
        enrollments=[
            {"staff_code": e.staff.staff_code, "full_name": e.staff.full_name, "status": e.status}
            for e in visible_roster(user_scope, session)
        ],
    )


@bp.post("/sessions/<int:session_id>/enrollments")
def session_enroll(session_id):
    manageable()
    user_scope = scope()
    session = session_or_404(user_scope, session_id)
    codes = need(json_body(), "staff_codes", list)
    if not codes or not all(isinstance(c, str) for c in codes):
        raise InvalidInput(Common.WRONG_TYPE, field="staff_codes", expected="array")
    people = db.session.scalars(
        user_scope.staff().where(Staff.staff_code.in_(codes), Staff.status == "active")
    ).all()
    unknown = sorted(set(codes) - {p.staff_code for p in people})
    if unknown:
        raise InvalidInput(
            TrainingError.UNKNOWN_STAFF_CODES, unknown=unknown, unknown_list=", ".join(unknown)
        )
    added = services.enroll(session, people, actor=g.api_user)
    code_of = {p.id: p.staff_code for p in people}
    return jsonify(session_json(session) | {"added": [code_of[e.staff_id] for e in added]})


@bp.put("/sessions/<int:session_id>/attendance")
def session_attendance(session_id):
    manageable(Capability.MARK_ATTENDANCE)
    session = session_or_404(scope(), session_id)
    records = need(json_body(), "records", list)
    pairs = []
    for record in records:
        if (
            not isinstance(record, dict)
            or not isinstance(record.get("staff_code"), str)
            or not isinstance(record.get("status"), str)
        ):
            raise InvalidInput(Common.WRONG_TYPE, field="records", expected="array")
        pairs.append((record["staff_code"], record["status"]))
    services.record_attendance_many(session, pairs, marked_by=g.api_user)
    return jsonify(
        id=session.id,
        enrollments=[
            {"staff_code": e.staff.staff_code, "full_name": e.staff.full_name, "status": e.status}
            for e in roster(session)
        ],
    )
