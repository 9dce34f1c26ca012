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
