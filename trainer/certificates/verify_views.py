"""Public verification of a certificate by its code: no sign-in, nothing personal beyond it."""

from flask import render_template, request
from flask_babel import gettext as _

from .blueprint import bp
from .statements import check_statement
from .verification import find_certificate, public_facts, verify_rate_limit


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
    cert = find_certificate(code)
    if cert is None:
        # 404 all the same, but the page says what the holder of a mistyped code needs to know
        return render_template("certificates/verify_unknown.html", code=code), 404
    return render_template("certificates/verify.html", cert=cert, facts=public_facts(cert))
