"""Domain errors of certificates and results, with their stable codes."""

from flask_babel import lazy_gettext as _l

from ..errors import Conflict, DomainError, ErrorCode


class CertificateError(ErrorCode):
    """The codes the certificate and result operations answer with."""

    NOT_ELIGIBLE = "not_eligible", _l("Not eligible yet. Missing modules: %(missing_list)s")
    ALREADY_HELD = (
        "already_held",
        _l("A valid certificate of this level is already held: %(number)s."),
    )
    NOT_VALID = "not_valid", _l("This certificate is no longer valid (%(status)s).")
    REASON_REQUIRED = "reason_required", _l("Give a reason to revoke a valid certificate.")
    SCORE_NOT_A_NUMBER = "score_not_a_number", _l("The score must be a number.")
    SCORE_OUT_OF_RANGE = (
        "score_out_of_range",
        _l("The score must be from %(minimum)s to %(maximum)s."),
    )
    PASS_SCORE_OUT_OF_RANGE = (
        "pass_score_out_of_range",
        _l("The pass score must be a whole number from %(minimum)s to %(maximum)s."),
    )
    DATE_IN_FUTURE = "date_in_future", _l("The date of the assessment is in the future.")
    UNKNOWN_MODULE = "unknown_module", _l("Unknown module.")
    UNKNOWN_LEVEL = "unknown_level", _l("Unknown certificate level.")
    LEVEL_EXISTS = "level_exists", _l("A level with this code already exists.")
    REQUIRED_AND_ELECTIVE = (
        "required_and_elective",
        _l("A module cannot be both required and elective."),
    )
    NO_MODULE = "no_module", _l("Choose at least one module.")
    TOO_FEW_ELECTIVES = "too_few_electives", _l("More electives needed than offered.")
    PREREQUISITE_RANK = "prerequisite_rank", _l("The prerequisite must have a lower rank.")
    OWN_RESULT = (
        "own_result",
        _l("Nobody records their own results: ask another trainer or an administrator."),
    )
    OWN_CERTIFICATE = (
        "own_certificate",
        _l("Nobody issues a certificate to themself: ask another trainer or an administrator."),
    )


class NotEligible(DomainError):
    """The staff member misses modules (``details['missing']``) for the level."""

    status = 422

    @property
    def message(self):
        self.details.setdefault("missing_list", ", ".join(self.details.get("missing", [])))
        text = super().message
        self.details.pop("missing_list")
        return text


class AlreadyHeld(Conflict):
    """A valid certificate of that level already exists (``details['number']``)."""


class NotValid(Conflict):
    """The certificate is already revoked or superseded."""


class SelfDealing(DomainError):
    """Separation of duties: a result or certificate for oneself (unless an admin allows it)."""

    status = 403
