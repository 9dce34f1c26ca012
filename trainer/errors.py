"""Domain errors raised by services and turned into form errors or JSON answers at the edge.

Every error carries a stable ``code`` (a member of a feature's ``ErrorCode`` enum, which the
API answers as ``"error"``) and a human ``message`` in the user's language, built from the
code's text and the error's details."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class ErrorCode(StrEnum):
    """Base of each feature's error codes: ``NAME = "code", _l("Human message %(detail)s")``."""

    def __new__(cls, value, text=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.text = text
        return member


class Common(ErrorCode):
    """Errors every part of the API can answer."""

    BAD_REQUEST = "bad_request", _l("The request could not be understood.")
    BODY_NOT_OBJECT = "body_not_object", _l("The body must be a JSON object.")
    FIELD_REQUIRED = "field_required", _l("%(field)s is required.")
    WRONG_TYPE = "wrong_type", _l("%(field)s has the wrong type.")
    OUT_OF_RANGE = "out_of_range", _l("%(field)s must be from %(minimum)s to %(maximum)s.")
    TOO_LONG = "too_long", _l("%(field)s may have at most %(maximum)s characters.")
    BAD_DATE = "bad_date", _l("%(field)s must be a date (YYYY-MM-DD).")
    BAD_DATETIME = (
        "bad_datetime",
        _l("%(field)s must be an ISO 8601 date-time with a time-zone offset, e.g. +07:00."),
    )
    HIDDEN_CHARACTERS = (
        "hidden_characters",
        _l("%(field)s contains invisible, control or broken characters: type it again."),
    )
    TOO_DEEP = "too_deep", _l("The JSON body is nested too deeply (at most %(maximum)s levels).")
    UNKNOWN_VALUE = "unknown_value", _l("%(field)s: unknown value.")
    UNKNOWN_STAFF = "unknown_staff", _l("Unknown staff code, or outside your scope.")
    UNKNOWN_ORG = "unknown_org", _l("Unknown unit code, or a unit outside your scope.")
    NOT_FOUND = "not_found", _l("This does not exist.")
    JOB_FAILED = "job_failed", _l("The job failed.")
    IMPORT_REFUSED = (
        "import_refused",
        _l("Nothing was imported: the file has problems, every one in the report."),
    )
    ALL_HAVE_ACCOUNTS = "all_have_accounts", _l("Everybody in this unit already has an account.")
    SYNC_ITEMS = "sync_items", _l("Send a list of %(minimum)s to %(maximum)s items.")
    SYNC_ITEM_INVALID = "sync_item_invalid", _l("An item to synchronise is malformed.")
    NOT_IN_FORCE = "not_in_force", _l("This unit was not in force on that date.")
    UNAUTHORIZED = "unauthorized", _l("A valid API token is required.")
    FORBIDDEN = "forbidden", _l("You may not do this.")
    METHOD_NOT_ALLOWED = "method_not_allowed", _l("This action is not allowed here.")
    TOO_LARGE = "too_large", _l("The file is too large.")
    RATE_LIMITED = "rate_limited", _l("Too many attempts. Please wait a minute and try again.")
    CSRF = "csrf_failed", _l("The form has expired. Please reload the page and try again.")
    SERVER_ERROR = "server_error", _l("Something went wrong on our side. Please try again.")
    DATABASE_UNAVAILABLE = (
        "database_unavailable",
        _l("The database is not reachable right now. Please try again shortly."),
    )


class DomainError(Exception):
    """A rule of the domain refused an operation; ``status`` is the fitting HTTP status."""

    status = 422

    def __init__(self, code, **details):
        super().__init__(code)
        self.code = code
        self.details = details

    @property
    def message(self):
        """The human message of the code, in the user's language, details filled in."""
        text = getattr(self.code, "text", None)
        if text is None:
            return str(self.code)
        try:
            return str(text) % self.details
        except (KeyError, TypeError, ValueError):
            return str(text)


class NotFound(DomainError):
    """The object does not exist, or the user may not know that it does."""

    status = 404


class Conflict(DomainError):
    """The operation clashes with the current state (a duplicate, an overlap, a full session)."""

    status = 409


class InvalidInput(DomainError):
    """A value is malformed or out of range."""

    status = 400


def check_range(value, limit, field, error=InvalidInput, code=Common.OUT_OF_RANGE):
    """Raise ``error`` unless ``limit.minimum <= value <= limit.maximum``."""
    if not limit.minimum <= value <= limit.maximum:
        raise error(code, field=field, minimum=limit.minimum, maximum=limit.maximum)
    return value
