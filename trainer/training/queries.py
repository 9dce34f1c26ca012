"""Read-only queries of the training pages (lists, calendars, a teacher's sessions)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..curriculum.models import Module, Result
from ..extensions import db
from ..org.models import OrgUnit, Staff
from .models import Enrollment, PlaceRequest, TrainingSession
from .scope import session_condition


def with_details(stmt):
    """Load module, trainer and venue with the sessions (no query per row)."""
    return stmt.options(
        joinedload(TrainingSession.module),
        joinedload(TrainingSession.trainer),
        joinedload(TrainingSession.org_unit),
    )


def sessions_query(
    scope, *, unit=None, module_code=None, trainer_code=None, start=None, end=None, status=None
):
    """The sessions in scope matching the list filters, soonest first."""
    stmt = select(TrainingSession).where(session_condition(scope))
    if unit is not None:
        stmt = stmt.where(
            TrainingSession.org_unit_id.in_(select(OrgUnit.id).where(OrgUnit.in_subtree(unit.path)))
        )
    if module_code:
        stmt = stmt.where(
            TrainingSession.module_id.in_(select(Module.id).where(Module.code == module_code))
        )
    if trainer_code:
        stmt = stmt.where(
            TrainingSession.trainer_id.in_(select(Staff.id).where(Staff.staff_code == trainer_code))
        )
    if start is not None:
        stmt = stmt.where(TrainingSession.ends_at > start)
    if end is not None:
        stmt = stmt.where(TrainingSession.starts_at < end)
    if status:
        stmt = stmt.where(TrainingSession.status == status)
    return with_details(stmt).order_by(TrainingSession.starts_at, TrainingSession.id)


def roster(session, only_staff_id=None):
    """The enrolments of a session with their staff and units, by name (or only the one of
    ``only_staff_id``)."""
    stmt = (
        select(Enrollment)
        .join(Staff, Enrollment.staff_id == Staff.id)
        .where(Enrollment.session_id == session.id)
        .options(joinedload(Enrollment.staff).joinedload(Staff.org_unit))
        .order_by(Staff.sort_key)
    )
    if only_staff_id is not None:
        stmt = stmt.where(Enrollment.staff_id == only_staff_id)
    return db.session.scalars(stmt).all()


def visible_roster(scope, session):
    """The roster as ``scope`` may read it: whole for admins and unit roles, and for a teacher
    only their own enrolment (colleagues' attendance is not theirs to see)."""
    if scope.everything or scope.by_subtree:
        return roster(session)
    if scope.own_staff_id is None:
        return []
    return roster(session, only_staff_id=scope.own_staff_id)


def upcoming_for(staff, now=None, limit=10):
    """A teacher's next sessions."""
    now = now or datetime.now(UTC)
    return db.session.scalars(
        with_details(
            select(TrainingSession)
            .join(Enrollment, Enrollment.session_id == TrainingSession.id)
            .where(
                Enrollment.staff_id == staff.id,
                TrainingSession.ends_at >= now,
                TrainingSession.status != "cancelled",
            )
            .order_by(TrainingSession.starts_at)
            .limit(limit)
        )
    ).all()


def led_by(staff, now=None, limit=10):
    """The next sessions a trainer leads."""
    now = now or datetime.now(UTC)
    return db.session.scalars(
        with_details(
            select(TrainingSession)
            .where(
                TrainingSession.trainer_id == staff.id,
                TrainingSession.ends_at >= now,
                TrainingSession.status != "cancelled",
            )
            .order_by(TrainingSession.starts_at)
            .limit(limit)
        )
    ).all()


def requests_waiting(staff, now=None, limit=30):
    """Teachers' requests for a place, still waiting, in the coming sessions a trainer leads:
    the oldest first, with their person and session."""
    now = now or datetime.now(UTC)
    return db.session.scalars(
        select(PlaceRequest)
        .join(TrainingSession, PlaceRequest.session_id == TrainingSession.id)
        .where(
            TrainingSession.trainer_id == staff.id,
            TrainingSession.ends_at >= now,
            TrainingSession.status != "cancelled",
            PlaceRequest.status == "pending",
        )
        .options(
            joinedload(PlaceRequest.staff).joinedload(Staff.org_unit),
            joinedload(PlaceRequest.session),
        )
        .order_by(PlaceRequest.created_at, PlaceRequest.id)
        .limit(limit)
    ).all()


def history_for(staff, now=None, limit=20):
    """A teacher's past sessions with their attendance."""
    now = now or datetime.now(UTC)
    return db.session.execute(
        with_details(
            select(TrainingSession, Enrollment.status)
            .join(Enrollment, Enrollment.session_id == TrainingSession.id)
            .where(Enrollment.staff_id == staff.id, TrainingSession.ends_at < now)
        )
        .order_by(TrainingSession.starts_at.desc())
        .limit(limit)
    ).all()


def running_for(staff, now=None):
    """The teacher's sessions whose check-in window is open now."""
    now = now or datetime.now(UTC)
    return db.session.scalars(
        select(TrainingSession)
        .join(Enrollment, Enrollment.session_id == TrainingSession.id)
        .where(
            Enrollment.staff_id == staff.id,
            TrainingSession.status != "cancelled",
            TrainingSession.starts_at <= now + timedelta(minutes=30),
            TrainingSession.ends_at >= now,
        )
    ).all()


def completed_module_ids(staff):
    """Ids of modules ``staff`` has passed."""
    return set(
        db.session.scalars(
            select(Result.module_id)
            .join(Module, Module.id == Result.module_id)
            .where(Result.staff_id == staff.id, Result.score >= Module.pass_score)
        )
    )


def available_for(staff, now=None):
    """Upcoming sessions in the teacher's district for modules not yet completed, with the
    teacher's request if any: ``[(session, request_or_None)]``."""
    now = now or datetime.now(UTC)
    unit = staff.org_unit
    ids = unit.ancestor_ids()
    district_id = ids[1] if len(ids) > 1 else ids[0]
    district = db.session.get(OrgUnit, district_id)
    done = completed_module_ids(staff)
    enrolled = select(Enrollment.session_id).where(Enrollment.staff_id == staff.id)
    stmt = with_details(
        select(TrainingSession)
        .where(
            TrainingSession.status == "scheduled",
            TrainingSession.starts_at > now,
            TrainingSession.org_unit_id.in_(
                select(OrgUnit.id).where(OrgUnit.in_subtree(district.path))
            ),
            TrainingSession.id.not_in(enrolled),
        )
        .order_by(TrainingSession.starts_at)
        .limit(50)
    )
    if done:
        stmt = stmt.where(TrainingSession.module_id.not_in(done))
    sessions = db.session.scalars(stmt).all()
    asked = {
        r.session_id: r
        for r in db.session.scalars(
            select(PlaceRequest).where(
                PlaceRequest.staff_id == staff.id,
                PlaceRequest.session_id.in_([s.id for s in sessions]),
            )
        )
    }
    return [(s, asked.get(s.id)) for s in sessions]


def requests_for(staff, limit=10):
    """A teacher's requests for a place, newest first."""
    return db.session.scalars(
        select(PlaceRequest)
        .where(PlaceRequest.staff_id == staff.id)
        .options(joinedload(PlaceRequest.session).joinedload(TrainingSession.module))
        .order_by(PlaceRequest.created_at.desc())
        .limit(limit)
    ).all()


def pending_requests(session):
    return db.session.scalars(
        select(PlaceRequest)
        .where(PlaceRequest.session_id == session.id, PlaceRequest.status == "pending")
        .options(joinedload(PlaceRequest.staff).joinedload(Staff.org_unit))
        .order_by(PlaceRequest.created_at)
    ).all()
