"""Domain errors of scheduling, enrolment and check-in, with their stable codes."""

from flask_babel import lazy_gettext as _l

from ..errors import Conflict, DomainError, ErrorCode, InvalidInput


class TrainingError(ErrorCode):
    """The codes the training operations answer with."""

    TRAINER_BUSY = (
        "trainer_busy",
        _l("The trainer already has a session at that time: %(clash_title)s."),
    )
    CAPACITY_EXCEEDED = (
        "capacity_exceeded",
        _l(
            "Nobody was enrolled: %(requested)d people would not fit in the %(left)d place(s) left."
        ),
    )
    CAPACITY_BELOW_ENROLLED = (
        "capacity_below_enrolled",
        _l("Fewer places than people already enrolled."),
    )
    CAPACITY_OUT_OF_RANGE = (
        "capacity_out_of_range",
        _l("A session has from %(minimum)d to %(maximum)d places."),
    )
    LATE_AFTER_OUT_OF_RANGE = (
        "late_after_out_of_range",
        _l("Late after: from %(minimum)d to %(maximum)d minutes."),
    )
    WEEKS_OUT_OF_RANGE = (
        "weeks_out_of_range",
        _l("A series lasts from %(minimum)d to %(maximum)d weeks."),
    )
    TITLE_LENGTH = "title_length", _l("The title must have %(minimum)d to %(maximum)d characters.")
    LOCATION_LENGTH = (
        "location_length",
        _l("The room or address may have at most %(maximum)d characters."),
    )
    TIMES_NEED_TIMEZONE = "times_need_timezone", _l("Times need a time-zone offset.")
    ENDS_BEFORE_START = "ends_before_start", _l("The session must end after it starts.")
    SESSION_CANCELLED = "session_cancelled", _l("The session has been cancelled.")
    SESSION_NOT_OPEN = "session_not_open", _l("This session no longer takes requests.")
    NOT_ENROLLED = "not_enrolled", _l("Not on the roster of this session.")
    ALREADY_ENROLLED = "already_enrolled", _l("Already on the roster of this session.")
    ALREADY_DECIDED = "already_decided", _l("This request has already been answered.")
    REASON_REQUIRED = "reason_required", _l("Please give a reason for declining.")
    UNKNOWN_STATUS = "unknown_status", _l("Unknown attendance status.")
    BAD_ATTENDANCE_RECORDS = (
        "bad_attendance_records",
        _l("Some attendance records are wrong; nothing was saved."),
    )
    UNKNOWN_STAFF_CODES = (
        "unknown_staff_codes",
        _l("Unknown staff codes (or outside your scope): %(unknown_list)s"),
    )
    UNSENT_FILE_INVALID = (
        "unsent_file_invalid",
        _l("This is not a file of unsent data saved by this programme."),
    )
    UNSENT_FILE_TAMPERED = (
        "unsent_file_tampered",
        _l("The file was changed after it was saved (or signed for someone else): nothing loaded."),
    )
    UNSENT_FILE_TOO_MANY = (
        "unsent_file_too_many",
        _l("A file may hold at most %(maximum)d items."),
    )


class TrainerBusy(Conflict):
    """The trainer already has a session that overlaps; ``details['clash']`` is its id."""


class CapacityExceeded(Conflict):
    """The enrolment would put more people on the session than it holds."""

    @property
    def message(self):
        left = self.details.get("capacity", 0) - self.details.get("enrolled", 0)
        return (
            str(self.code.text)
            % {"requested": self.details.get("requested", 0), "left": max(left, 0)}
            if self.code == TrainingError.CAPACITY_EXCEEDED
            else super().message
        )


class BadTimes(InvalidInput):
    """The session ends at or before its start."""


class CheckInRefused(DomainError):
    """A self check-in is refused; ``message`` is one of the reasons below."""

    status = 409
    NOT_ENROLLED = "not_enrolled"
    OUTSIDE_WINDOW = "outside_window"
    EXPIRED_CODE = "expired_code"
    ALREADY = "already_checked_in"
