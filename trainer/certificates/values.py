"""Statuses and limits of certificates and results, defined once."""

from enum import StrEnum

from ..values import Limit


class CertificateStatus(StrEnum):
    """What a certificate is now (``expired`` is derived from its date, never stored)."""

    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"


SCORE = Limit(0, 100)
PASS_SCORE = Limit(0, 100)
REVOKE_REASON = Limit(1, 500)
