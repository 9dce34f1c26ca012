"""Statuses and limits of sessions, defined once: services check the limits, and the forms,
the API, the labels and /api/v1/openapi.json derive from them."""

from enum import StrEnum

from ..values import Limit


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


CAPACITY = Limit(1, 500)  # places in one session
LATE_AFTER_MINUTES = Limit(0, 240)  # grace before a check-in counts as late
WEEKS = Limit(1, 52)  # a weekly series
TITLE = Limit(1, 200)  # characters
LOCATION = Limit(0, 200)  # characters
