"""Domain errors of certificates, with their stable codes (results and levels: curriculum)."""

from flask_babel import lazy_gettext as _l

from ..errors import Conflict, DomainError, ErrorCode


class CertificateError(ErrorCode):
    """The codes the certificate operations answer with."""

    NOT_ELIGIBLE = "not_eligible", _l("Not eligible yet. Missing modules: %(missing_list)s")
    ALREADY_HELD = (
        "already_held",
        _l("A valid certificate of this level is already held: %(number)s."),
    )
    NOT_VALID = "not_valid", _l("This certificate is no longer valid (%(status)s).")
    REASON_REQUIRED = "reason_required", _l("Give a reason to revoke a valid certificate.")
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
