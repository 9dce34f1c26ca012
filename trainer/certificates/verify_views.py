"""Public verification of a certificate by its code: no sign-in, nothing personal beyond it."""

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db, limiter
from ..timeutil import local_today
from .blueprint import bp
from .models import Certificate
from .statements import check_statement


def verify_limit():
    return current_app.config["VERIFY_RATE_LIMIT"]


def certificate_by_code(code):
    """The certificate with this verification code, or 404."""
    if not 8 <= len(code) <= 32:
        abort(404)
    cert = db.session.scalar(select(Certificate).where(Certificate.verification_code == code))
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


def statement_message(result):
    """The verdict on a statement checked by the server (the page without JavaScript)."""
    return {
        "valid": _("The signature is genuine and the certificate is valid."),
        "revoked": _("The signature is genuine but the certificate was revoked."),
        "superseded": _("The signature is genuine but the certificate was replaced."),
        "expired": _("The signature is genuine but the certificate has expired."),
        "unknown": _("The signature is genuine but we hold no such certificate."),
        "forged": _("Forged: the signature does not match. Do not accept this certificate."),
    }.get(result, _("This is not a signed certificate statement."))


@bp.route("/verify/scan")
@verify_rate_limit
def scan():
    pasted = request.args.get("s", "")[:4000]
    check = check_statement(pasted) if pasted.strip() else None
    return render_template(
        "certificates/scan.html",
        pasted=pasted,
        server_check=check,
        server_check_message=check and statement_message(check.result),
    )


@bp.route("/verify/<code>")
@verify_rate_limit
def verify(code):
    cert = certificate_by_code(code)
    return render_template("certificates/verify.html", cert=cert, facts=public_facts(cert))
