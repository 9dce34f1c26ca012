"""What the public verification page and API share: finding a certificate by its code, the
facts anyone holding the code may learn, and one rate limit for both."""

from flask import abort, current_app
from sqlalchemy import select

from ..extensions import db, limiter
from ..timeutil import local_today
from .models import Certificate


def verify_limit():
    return current_app.config["VERIFY_RATE_LIMIT"]


def find_certificate(code):
    """The certificate with this verification code, or None."""
    if not 8 <= len(code) <= 32:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.verification_code == code))


def certificate_by_code(code):
    """The certificate with this verification code, or 404."""
    cert = find_certificate(code)
    if cert is None:
        abort(404)
    return cert


def public_facts(cert):
    """What anyone holding the code may learn: status, name, level, number, dates, issuer."""
    state = cert.state(local_today())
    facts = {
        "status": state,
        "name": cert.printed_name,
        "level": cert.level.code,
        "level_name": cert.level.name_vi,
        "number": cert.number,
        "issued_on": cert.issued_on.isoformat(),
        "issuer": cert.issuer,
        "expires_on": cert.expires_on.isoformat() if cert.expires_on else None,
    }
    if state == "revoked":
        facts["revoked_on"] = cert.revoked_on.isoformat() if cert.revoked_on else None
        facts["revoked_reason"] = cert.revoked_reason
    if state == "superseded" and cert.superseded_by is not None:
        facts["superseded_by"] = cert.superseded_by.number
    return facts


# One budget per address for the page and the API together.
verify_rate_limit = limiter.shared_limit(verify_limit, scope="verify")
