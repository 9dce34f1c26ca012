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


class DesignError(ErrorCode):
    """The codes a certificate design's checks answer with (the design page shows the
    message at the field named in the error's ``field``)."""

    NAME = "design_name", _l("A name of at most 120 characters.")
    TITLE = "design_title", _l("A title of at most 120 characters.")
    SUBTITLE = "design_subtitle", _l("A subtitle of at most 120 characters.")
    BODY_LENGTH = "design_body_length", _l("At most 8 sentences of at most 300 characters.")
    PLACEHOLDERS = (
        "design_placeholders",
        _l("Unknown placeholders or stray braces: %(items)s. Use %(known)s."),
    )
    ORIENTATION = "design_orientation", _l("A4 landscape or A4 portrait.")
    COLOUR = "design_colour", _l("A colour as #rrggbb.")
    BLOCKS = "design_blocks", _l("Unknown block.")
    SCOPE_TAKEN = "design_scope_taken", _l("A design for this unit and level exists already.")
    IMAGE_EMPTY = "image_empty", _l("A PNG or SVG image of at most 256 kB.")
    IMAGE_TOO_LARGE = "image_too_large", _l("A PNG or SVG image of at most 256 kB.")
    IMAGE_TYPE = "image_type", _l("A PNG or SVG image of at most 256 kB.")
    SVG_DOCTYPE = "svg_doctype", _l("An SVG without a DOCTYPE or entities.")
    SVG_INVALID = "svg_invalid", _l("Not a readable SVG image.")


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
