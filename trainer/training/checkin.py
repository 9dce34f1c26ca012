"""QR self check-in: codes that change every 30 seconds, derived from the app's secret."""

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from .. import audit
from ..audit import AuditEntry
from ..extensions import db
from .errors import CheckInRefused
from .models import Enrollment
from .services import record_attendance

STEP_SECONDS = 30
OPEN_BEFORE = timedelta(minutes=30)  # teachers arriving early can already check in


def _mac(secret, session_id, step):
    key = hashlib.sha256(b"checkin:" + secret.encode()).digest()
    return hmac.new(key, f"{session_id}:{step}".encode(), hashlib.sha256).digest()


def current_codes(session, secret, now=None):
    """(token for the QR link, 6-digit short code, seconds until they change)."""
    now = now or datetime.now(UTC)
    step = int(now.timestamp()) // STEP_SECONDS
    mac = _mac(secret, session.id, step)
    token = base64.urlsafe_b64encode(mac[:12]).decode().rstrip("=")
    short = f"{int.from_bytes(mac[12:16], 'big') % 1_000_000:06d}"
    remaining = STEP_SECONDS - int(now.timestamp()) % STEP_SECONDS
    return token, short, remaining


def code_is_fresh(session, secret, given, now):
    """True when ``given`` is this step's or the previous step's token or short code."""
    given = (given or "").strip()
    for back in (0, 1):  # a code read just before it changed still works for one step
        moment = now - timedelta(seconds=STEP_SECONDS * back)
        token, short, _ = current_codes(session, secret, moment)
        if hmac.compare_digest(given, token) or hmac.compare_digest(given, short):
            return True
    return False


def in_window(session, now):
    return session.starts_at - OPEN_BEFORE <= now <= session.ends_at


def check_in(session, staff, code, *, secret, user=None, now=None):
    """Mark an enrolled teacher present (or late after the grace period) from a fresh code."""
    now = now or datetime.now(UTC)
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.session_id == session.id, Enrollment.staff_id == staff.id
        )
    )
    if enrollment is None:
        raise CheckInRefused(CheckInRefused.NOT_ENROLLED)
    if session.status == "cancelled" or not in_window(session, now):
        raise CheckInRefused(CheckInRefused.OUTSIDE_WINDOW)
    if not code_is_fresh(session, secret, code, now):
        raise CheckInRefused(CheckInRefused.EXPIRED_CODE)
    if enrollment.checked_in_at is not None:
        raise CheckInRefused(CheckInRefused.ALREADY)
    late = now > session.starts_at + timedelta(minutes=session.late_after_minutes)
    record_attendance(session, staff, "late" if late else "present", marked_by=user, now=now)
    enrollment.checked_in_at = now
    return enrollment


def find_session_for_code(sessions, secret, code, now=None):
    """Among ``sessions`` (the teacher's running ones), the one whose short code is ``code``."""
    now = now or datetime.now(UTC)
    for session in sessions:
        if code_is_fresh(session, secret, code, now):
            return session
    return None


FAILED_CHECK_IN = "checkin.failed"


def check_in_locked(user, sessions, *, per_user, per_session, window, now=None):
    """True when ``user`` (or any of ``sessions``) has had too many wrong codes lately.

    Every wrong code is an audit entry (``record_failed_check_in``), and those entries are the
    counters: the same in every app process, and kept for the record. A lock lifts by itself
    once the failures are older than ``window``."""
    since = (now or datetime.now(UTC)) - window
    recent = (
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == FAILED_CHECK_IN, AuditEntry.at >= since)
    )
    if db.session.scalar(recent.where(AuditEntry.user_id == user.id)) >= per_user:
        return True
    ids = [str(s.id) for s in sessions]
    if not ids:
        return False
    worst = db.session.scalar(
        recent.where(
            AuditEntry.object_type == "TrainingSession",
            AuditEntry.object_id.in_(ids),
        )
        .group_by(AuditEntry.object_id)
        .order_by(func.count().desc())
        .limit(1)
    )
    return (worst or 0) >= per_session


def record_failed_check_in(user, sessions, reason):
    """Audit one wrong code (the session when it is known, else every candidate)."""
    if len(sessions) == 1:
        return audit.record(FAILED_CHECK_IN, sessions[0], user=user, reason=reason)
    return audit.record(
        FAILED_CHECK_IN,
        user=user,
        object_type="TrainingSession",
        reason=reason,
        sessions=[s.id for s in sessions],
    )
