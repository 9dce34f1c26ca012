"""Applying what a device recorded without a connection: each item at most once, in scope,
with the same services as the pages, the later device time winning a conflict."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from .. import audit
from ..bounds import FIRST_DAY, LAST_DAY
from ..curriculum import services as results
from ..errors import Common, InvalidInput
from ..extensions import db
from ..org.models import Staff
from ..timeutil import local_date
from .models import ATTENDANCE_STATUSES, Enrollment, TrainingSession
from .scope import can_schedule, session_condition
from .services import record_attendance
from .sync_models import SYNC_KINDS, DeviceSubmission

APPLIED, SUPERSEDED, REFUSED = "applied", "superseded", "refused"


class Refused(Exception):
    """An item that cannot be applied; ``reason`` goes back to the device."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def parse_item(raw):
    """Check an item's shape: ``(id, kind, fields)`` or ``InvalidInput`` naming the problem."""
    if not isinstance(raw, dict):
        raise InvalidInput(Common.SYNC_ITEM_INVALID, problem="each item must be an object")
    try:
        device_id = str(uuid.UUID(str(raw.get("id", ""))))
    except ValueError:
        raise InvalidInput(
            Common.SYNC_ITEM_INVALID, problem="each item needs an id made on the device (a UUID)"
        ) from None
    kind = raw.get("kind")
    if kind not in SYNC_KINDS:
        raise InvalidInput(
            Common.SYNC_ITEM_INVALID,
            problem="kind must be one of " + ", ".join(SYNC_KINDS),
            id=device_id,
        )
    try:
        device_at = datetime.fromisoformat(str(raw.get("device_at", "")).replace("Z", "+00:00"))
    except ValueError:
        device_at = None
    if (
        device_at is None
        or device_at.tzinfo is None
        or not FIRST_DAY <= device_at.date() <= LAST_DAY
    ):
        raise InvalidInput(
            Common.SYNC_ITEM_INVALID,
            id=device_id,
            problem="device_at must be an ISO 8601 time with its offset",
        )
    session_id, staff_code = raw.get("session"), raw.get("staff_code")
    if (
        isinstance(session_id, bool)
        or not isinstance(session_id, int)
        or not isinstance(staff_code, str)
        or not 0 < len(staff_code) <= 64
    ):
        raise InvalidInput(
            Common.SYNC_ITEM_INVALID,
            id=device_id,
            problem="session (a number) and staff_code (text) are required",
        )
    return device_id, kind, dict(raw, device_at=device_at)


def answer_of(row, *, repeat=False):
    answer = {"id": row.device_id, "outcome": row.outcome, "repeat": repeat}
    if row.reason:
        answer["reason"] = row.reason
    return answer


def current_mark(session_id, staff_code):
    """The mark the server holds now, so that a device can show what won."""
    row = db.session.execute(
        select(Enrollment.status, Enrollment.marked_at)
        .join(Staff)
        .where(Enrollment.session_id == session_id, Staff.staff_code == staff_code)
    ).first()
    if row is None:
        return None
    return {"status": row.status, "marked_at": row.marked_at.isoformat() if row.marked_at else None}


def apply_items(scope, user, items, *, checkin_key=None, now=None, exported_by=None):
    """Apply the devices' items in order; one answer per item (applied, superseded, refused).

    Every item is checked for shape first (a malformed one refuses the whole request); an id
    already seen answers its first outcome again (``repeat``) and changes nothing. Refusals
    are decided before anything is written, so no item is ever half applied. Items loaded
    from a file of unsent data name the user who saved it (``exported_by``, in the audit)."""
    now = now or datetime.now(UTC)
    parsed = [parse_item(raw) for raw in items]
    return [
        apply_one(
            scope,
            user,
            device_id,
            kind,
            fields,
            checkin_key=checkin_key,
            now=now,
            exported_by=exported_by,
        )
        for device_id, kind, fields in parsed
    ]


def apply_one(scope, user, device_id, kind, fields, *, checkin_key, now, exported_by=None):
    """One item; a second arrival of the same id (even within one request) is a repeat.

    Two requests carrying the same id at the same moment: the unique device id makes the
    second one fail at commit, and the caller runs it again, then as a repeat."""
    seen = db.session.scalar(
        select(DeviceSubmission).where(DeviceSubmission.device_id == device_id)
    )
    if seen is not None:
        return answer_of(seen, repeat=True) | extra_for(seen)
    # A clock ahead of the server's must not win every later conflict.
    device_at = min(fields["device_at"], now)
    session = None
    try:
        session, staff = target(scope, kind, fields)
        if kind == "attendance":
            outcome, reason = apply_attendance(
                session, staff, fields, user, device_at, checkin_key, device_id
            )
        else:
            outcome, reason = apply_result(session, staff, fields, user)
    except Refused as exc:
        outcome, reason = REFUSED, exc.reason
    row = DeviceSubmission(
        device_id=device_id,
        kind=kind,
        user_id=user.id,
        session_id=getattr(session, "id", None),
        staff_code=fields["staff_code"],
        device_at=device_at,
        received_at=now,
        outcome=outcome,
        reason=reason,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        f"sync.{kind}",
        row,
        user=user,
        device_id=device_id,
        outcome=outcome,
        reason=reason,
        session=fields["session"],
        staff=fields["staff_code"],
        status=fields.get("status"),
        score=fields.get("score"),
        device_at=device_at.isoformat(),
        received_at=now.isoformat(),
        via=fields.get("via") if fields.get("via") in ("qr", "tap") else None,
        **({"exported_by": exported_by} if exported_by is not None else {}),
    )
    return answer_of(row) | extra_for(row)


def extra_for(row):
    if row.kind == "attendance":
        return {"current": current_mark(row.session_id, row.staff_code)}
    return {}


def target(scope, kind, fields):
    """The session and the person, checked as the attendance and results pages check them."""
    if not can_schedule(scope):
        raise Refused("not_allowed")
    session = db.session.scalar(
        select(TrainingSession).where(
            TrainingSession.id == fields["session"], session_condition(scope)
        )
    )
    if session is None:
        raise Refused("session_not_found")
    staff = db.session.scalar(scope.staff().where(Staff.staff_code == fields["staff_code"]))
    if staff is None:
        raise Refused("staff_not_found")
    enrolled = db.session.scalar(
        select(Enrollment.id).where(
            Enrollment.session_id == session.id, Enrollment.staff_id == staff.id
        )
    )
    if enrolled is None:
        raise Refused("not_enrolled")
    return session, staff


def apply_attendance(session, staff, fields, user, device_at, checkin_key, device_id=None):
    """Last writer wins by device time; the losing mark stays in the audit log."""
    status = fields.get("status")
    if status not in ATTENDANCE_STATUSES:
        raise Refused("unknown_status")
    if (
        fields.get("via") == "qr"
        and checkin_key is not None
        and checkin_key.staff_code_of(fields.get("card")) != staff.staff_code
    ):
        raise Refused("forged_card")
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.session_id == session.id, Enrollment.staff_id == staff.id
        )
    )
    if enrollment.marked_at is not None and enrollment.marked_at > device_at:
        return SUPERSEDED, "later_mark"
    record_attendance(session, staff, status, marked_by=user, now=device_at, device_id=device_id)
    if fields.get("via") == "qr" and enrollment.checked_in_at is None:
        enrollment.checked_in_at = device_at
    return APPLIED, None


def apply_result(session, staff, fields, user):
    """A score for the session's module, checked by the same service as the results page."""
    score = fields.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float, str)):
        raise Refused("invalid_score")
    try:
        results.record_or_correct(  # the session's day in Vietnam, as on the results page
            staff, session.module, score, local_date(session.starts_at), recorded_by=user
        )
    except InvalidInput as exc:
        raise Refused("invalid_" + exc.details.get("field", "score")) from None
    return APPLIED, None
