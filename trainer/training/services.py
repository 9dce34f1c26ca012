"""Scheduling, enrolment and attendance: plain operations that flush and raise domain errors."""

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from .. import audit
from ..errors import DomainError, InvalidInput, NotFound, check_range
from ..extensions import db
from ..org.models import OrgUnit, Staff
from .errors import BadTimes, CapacityExceeded, TrainerBusy, TrainingError
from .models import ATTENDANCE_STATUSES, Enrollment, PlaceRequest, TrainingSession
from .values import (
    CAPACITY,
    LATE_AFTER_MINUTES,
    LOCATION,
    TITLE,
    WEEKS,
    AttendanceStatus,
    RequestStatus,
    SessionStatus,
)

ACTIVE = (SessionStatus.SCHEDULED, SessionStatus.HELD)


def find_clash(trainer_id, starts_at, ends_at, *, exclude_ids=()):
    """The trainer's first live session overlapping [starts_at, ends_at); touching is fine."""
    stmt = select(TrainingSession).where(
        TrainingSession.trainer_id == trainer_id,
        TrainingSession.status.in_(ACTIVE),
        TrainingSession.starts_at < ends_at,
        TrainingSession.ends_at > starts_at,
    )
    if exclude_ids:
        stmt = stmt.where(TrainingSession.id.not_in(list(exclude_ids)))
    return db.session.scalars(stmt.order_by(TrainingSession.starts_at).limit(1)).first()


def lock_trainer(trainer):
    """Serialise scheduling per trainer (a row lock on PostgreSQL; SQLite locks on write)."""
    db.session.execute(select(Staff.id).where(Staff.id == trainer.id).with_for_update())


def check_times(starts_at, ends_at):
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InvalidInput(TrainingError.TIMES_NEED_TIMEZONE)
    if ends_at <= starts_at:
        raise BadTimes(TrainingError.ENDS_BEFORE_START)


def check_details(*, capacity=None, title=None, location=None, late_after_minutes=None):
    """Check the limits of a session's details (``values.py``); ``InvalidInput`` names one."""
    if capacity is not None:
        check_range(capacity, CAPACITY, "capacity", code=TrainingError.CAPACITY_OUT_OF_RANGE)
    if title is not None:
        check_range(len(title.strip()), TITLE, "title", code=TrainingError.TITLE_LENGTH)
    if location is not None:
        check_range(len(location), LOCATION, "location", code=TrainingError.LOCATION_LENGTH)
    if late_after_minutes is not None:
        check_range(
            late_after_minutes,
            LATE_AFTER_MINUTES,
            "late_after_minutes",
            code=TrainingError.LATE_AFTER_OUT_OF_RANGE,
        )


def create_session(
    *,
    module,
    title,
    trainer,
    venue,
    location,
    starts_at,
    ends_at,
    capacity,
    created_by=None,
    series_key=None,
    late_after_minutes=10,
):
    """Schedule one session; ``TrainerBusy`` when the trainer is already booked then."""
    check_times(starts_at, ends_at)
    check_details(
        capacity=capacity,
        title=title,
        location=location or "",
        late_after_minutes=late_after_minutes,
    )
    lock_trainer(trainer)
    clash = find_clash(trainer.id, starts_at, ends_at)
    if clash is not None:
        raise TrainerBusy(
            TrainingError.TRAINER_BUSY,
            clash=clash.id,
            clash_title=clash.title,
            clash_starts_at=clash.starts_at.isoformat(),
        )
    session = TrainingSession(
        module=module,
        title=title,
        trainer=trainer,
        org_unit=venue,
        location=location or "",
        starts_at=starts_at.astimezone(UTC),
        ends_at=ends_at.astimezone(UTC),
        capacity=capacity,
        created_by_id=getattr(created_by, "id", None),
        series_key=series_key,
        late_after_minutes=late_after_minutes,
    )
    db.session.add(session)
    db.session.flush()
    audit.record("session.create", session, user=created_by, title=title)
    return session


def create_series(*, weeks, **fields):
    """The same slot for ``weeks`` consecutive weeks; all of them or none (the first clash)."""
    check_range(weeks, WEEKS, "weeks", code=TrainingError.WEEKS_OUT_OF_RANGE)
    key = secrets.token_hex(8) if weeks > 1 else None
    start, end = fields.pop("starts_at"), fields.pop("ends_at")
    return [
        create_session(
            starts_at=start + timedelta(weeks=i),
            ends_at=end + timedelta(weeks=i),
            series_key=key,
            **fields,
        )
        for i in range(weeks)
    ]


def update_session(session, *, actor=None, **fields):
    """Change a session's details; the trainer's other sessions must not overlap."""
    starts_at = fields.get("starts_at", session.starts_at)
    ends_at = fields.get("ends_at", session.ends_at)
    trainer = fields.get("trainer", session.trainer)
    check_times(starts_at, ends_at)
    check_details(
        capacity=fields.get("capacity"),
        title=fields.get("title"),
        location=fields.get("location"),
        late_after_minutes=fields.get("late_after_minutes"),
    )
    capacity = fields.get("capacity", session.capacity)
    if capacity < session.enrolled_count:
        raise CapacityExceeded(
            TrainingError.CAPACITY_BELOW_ENROLLED, enrolled=session.enrolled_count
        )
    lock_trainer(trainer)
    clash = find_clash(trainer.id, starts_at, ends_at, exclude_ids=[session.id])
    if clash is not None:
        raise TrainerBusy(
            TrainingError.TRAINER_BUSY,
            clash=clash.id,
            clash_title=clash.title,
            clash_starts_at=clash.starts_at.isoformat(),
        )
    for name, value in fields.items():
        setattr(session, name, value)
    db.session.flush()
    audit.record("session.update", session, user=actor, fields=sorted(fields))
    return session


def cancel_session(session, *, actor=None):
    """Cancel a session (it stays, marked cancelled)."""
    session.status = SessionStatus.CANCELLED
    audit.record("session.cancel", session, user=actor)


def enroll(session, staff_members, *, actor=None):
    """Put staff on the roster in one step: all of them, or none if capacity would be exceeded.

    Already enrolled staff are skipped. Returns the new enrolments.
    """
    if session.status == SessionStatus.CANCELLED:
        raise InvalidInput(TrainingError.SESSION_CANCELLED)
    already = set(
        db.session.scalars(select(Enrollment.staff_id).where(Enrollment.session_id == session.id))
    )
    new = [s for s in dict.fromkeys(staff_members) if s.id not in already]
    if not new:
        return []
    # The capacity check and the count move together in one conditional UPDATE: concurrent
    # enrolments serialise on the row and the loser sees zero rows updated.
    result = db.session.execute(
        update(TrainingSession)
        .where(
            TrainingSession.id == session.id,
            TrainingSession.enrolled_count + len(new) <= TrainingSession.capacity,
        )
        .values(enrolled_count=TrainingSession.enrolled_count + len(new))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(session)
        raise CapacityExceeded(
            TrainingError.CAPACITY_EXCEEDED,
            capacity=session.capacity,
            enrolled=session.enrolled_count,
            requested=len(new),
        )
    enrollments = [Enrollment(session_id=session.id, staff_id=s.id) for s in new]
    db.session.add_all(enrollments)
    db.session.flush()
    db.session.refresh(session)
    audit.record("session.enroll", session, user=actor, staff=[s.staff_code for s in new])
    return enrollments


def unenroll(session, staff, *, actor=None):
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.session_id == session.id, Enrollment.staff_id == staff.id
        )
    )
    if enrollment is None:
        raise NotFound(TrainingError.NOT_ENROLLED)
    db.session.delete(enrollment)
    db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session.id)
        .values(enrolled_count=TrainingSession.enrolled_count - 1)
    )
    db.session.flush()
    db.session.refresh(session)
    audit.record("session.unenroll", session, user=actor, staff=staff.staff_code)


def school_staff(unit):
    """Active staff of ``unit``'s subtree, for enrolling a whole school at once."""
    return db.session.scalars(
        select(Staff)
        .join(OrgUnit, Staff.org_unit_id == OrgUnit.id)
        .where(OrgUnit.in_subtree(unit.path), Staff.status == "active")
        .order_by(Staff.sort_key)
    ).all()


def record_attendance(session, staff, status, *, marked_by=None, now=None, device_id=None):
    """Mark one person; the change (old → new) goes to the audit log, with the ``device_id``
    of the tablet's submission it applies (whose own entry, ``sync.*``, says when it was made
    and when it arrived), so that the log can say why a tablet's mark has two entries."""
    if status not in ATTENDANCE_STATUSES and status is not None:
        raise InvalidInput(
            TrainingError.UNKNOWN_STATUS, status=status, allowed=list(AttendanceStatus)
        )
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.session_id == session.id, Enrollment.staff_id == staff.id
        )
    )
    if enrollment is None:
        raise InvalidInput(TrainingError.NOT_ENROLLED, staff_code=staff.staff_code)
    old = enrollment.status
    if old != status:
        enrollment.status = status
        enrollment.marked_by_id = getattr(marked_by, "id", None)
        enrollment.marked_at = now or datetime.now(UTC)
        audit.record(
            "attendance.mark",
            enrollment,
            user=marked_by,
            session=session.id,
            staff=staff.staff_code,
            old=old,
            new=status,
            **({"device_id": device_id} if device_id else {}),
        )
    return enrollment


def record_attendance_many(session, records, *, marked_by=None):
    """Mark several people in one transaction: ``records`` is ``[(staff_code, status)]``.

    Every record is checked before any is written; the first bad one raises.
    """
    codes = [code for code, _status in records]
    enrolled = {
        staff.staff_code: staff
        for staff in db.session.scalars(
            select(Staff)
            .join(Enrollment, Enrollment.staff_id == Staff.id)
            .where(Enrollment.session_id == session.id, Staff.staff_code.in_(codes))
        )
    }
    problems = []
    for code, status in records:
        if status not in ATTENDANCE_STATUSES:
            problems.append(
                {"staff_code": code, "error": TrainingError.UNKNOWN_STATUS, "status": status}
            )
        elif code not in enrolled:
            problems.append({"staff_code": code, "error": TrainingError.NOT_ENROLLED})
    if problems:
        raise InvalidInput(TrainingError.BAD_ATTENDANCE_RECORDS, problems=problems)
    return [
        record_attendance(session, enrolled[code], status, marked_by=marked_by)
        for code, status in records
    ]


def mark_all_present(session, *, marked_by=None):
    """Mark everyone not yet marked as present."""
    rows = db.session.scalars(
        select(Enrollment).where(Enrollment.session_id == session.id, Enrollment.status.is_(None))
    ).all()
    for enrollment in rows:
        record_attendance(session, enrollment.staff, AttendanceStatus.PRESENT, marked_by=marked_by)
    return len(rows)


def request_place(session, staff):
    """A teacher asks for a place; asking twice returns the same request."""
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= datetime.now(UTC):
        raise InvalidInput(TrainingError.SESSION_NOT_OPEN)
    existing = db.session.scalar(
        select(PlaceRequest).where(
            PlaceRequest.session_id == session.id, PlaceRequest.staff_id == staff.id
        )
    )
    if existing is not None:
        return existing
    if db.session.scalar(
        select(Enrollment.id).where(
            Enrollment.session_id == session.id, Enrollment.staff_id == staff.id
        )
    ):
        raise InvalidInput(TrainingError.ALREADY_ENROLLED)
    place = PlaceRequest(session_id=session.id, staff_id=staff.id)
    db.session.add(place)
    db.session.flush()
    audit.record("place.request", place, session=session.id, staff=staff.staff_code)
    return place


def _set_request_status(place, status, only_from=None):
    """One UPDATE of the request's status (if it still is ``only_from``); rows changed."""
    stmt = update(PlaceRequest).where(PlaceRequest.id == place.id)
    if only_from is not None:
        stmt = stmt.where(PlaceRequest.status == only_from)
    result = db.session.execute(
        stmt.values(status=status).execution_options(synchronize_session=False)
    )
    place.status = status if result.rowcount == 1 else place.status
    return result.rowcount


def decide_request(place, *, accept, reason=None, actor=None):
    """Accept (enrolling the teacher, capacity rules hold) or decline with a reason.

    The request is claimed by one conditional UPDATE (still pending → decided), so a double
    click or two trainers at once decide it once; the other gets ALREADY_DECIDED."""
    if place.status != RequestStatus.PENDING:
        raise InvalidInput(TrainingError.ALREADY_DECIDED)
    if not accept and not (reason or "").strip():
        raise InvalidInput(TrainingError.REASON_REQUIRED)
    status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    if _set_request_status(place, status, only_from=RequestStatus.PENDING) != 1:
        db.session.refresh(place)
        raise InvalidInput(TrainingError.ALREADY_DECIDED)
    place.status = status
    if accept:
        try:
            enroll(place.session, [place.staff], actor=actor)
        except DomainError:  # full or cancelled: the request stays pending
            _set_request_status(place, RequestStatus.PENDING)
            raise
    place.reason = (reason or "").strip() or None
    place.decided_by_id = getattr(actor, "id", None)
    place.decided_at = datetime.now(UTC)
    audit.record("place.decide", place, user=actor, accepted=accept)
    return place
