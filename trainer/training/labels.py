"""Translated labels of the training codes (session, attendance and request statuses).

They live in the feature so that its views need not import ``trainer.labels``, which reads
every feature's values (certificates included): ``training`` and ``certificates`` do not
import each other, not even through a shared module at import time (issue 13, item 8).
"""

from flask_babel import lazy_gettext as _l

from .values import AttendanceStatus, RequestStatus, SessionStatus

SESSION_STATUSES = {
    SessionStatus.SCHEDULED: _l("Scheduled"),
    SessionStatus.HELD: _l("Held"),
    SessionStatus.CANCELLED: _l("Cancelled"),
}
ATTENDANCE = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.LATE: _l("Late"),
    AttendanceStatus.EXCUSED: _l("Excused"),
    AttendanceStatus.ABSENT: _l("Absent"),
}
REQUEST_STATUSES = {
    RequestStatus.PENDING: _l("Waiting for the trainer"),
    RequestStatus.ACCEPTED: _l("Accepted"),
    RequestStatus.DECLINED: _l("Declined"),
}

#: why the server refused an item a tablet sent (the sync's answer, the audit log)
SYNC_REASONS = {
    "later_mark": _l("changed on another device"),
    "not_enrolled": _l("no longer enrolled"),
    "session_not_found": _l("session not found"),
    "staff_not_found": _l("person not found"),
    "forged_card": _l("the card is not genuine"),
    "not_allowed": _l("not allowed"),
    "unknown_status": _l("unknown mark"),
    "invalid_score": _l("score must be from 0 to 100"),
    "invalid_assessed_on": _l("the session has not taken place yet"),
}
