"""Domain errors of scheduling, enrolment and check-in."""

from ..errors import Conflict, DomainError, InvalidInput


class TrainerBusy(Conflict):
    """The trainer already has a session that overlaps; ``details['clash']`` is its id."""


class CapacityExceeded(Conflict):
    """The enrolment would put more people on the session than it holds."""


class BadTimes(InvalidInput):
    """The session ends at or before its start."""


class CheckInRefused(DomainError):
    """A self check-in is refused; ``message`` is one of the reasons below."""

    status = 409
    NOT_ENROLLED = "not_enrolled"
    OUTSIDE_WINDOW = "outside_window"
    EXPIRED_CODE = "expired_code"
    ALREADY = "already_checked_in"
