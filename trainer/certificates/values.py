"""Statuses and limits of certificates, defined once."""

from enum import StrEnum

from ..values import Limit


class CertificateStatus(StrEnum):
    """What a certificate is now (``expired`` is derived from its date, never stored)."""

    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"


REVOKE_REASON = Limit(1, 500)
