"""What the certificate views and API share: settings, the store, lookups in scope."""

import json

from flask import abort, current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.scope import Capability
from ..curriculum.models import CertificateLevel
from ..documents.pool import warm_workers
from ..extensions import db
from ..org.models import Staff
from .documents import pdf_for, print_options, render_missing
from .models import Certificate
from .services import IssueSettings
from .storage import store_for


def settings():
    return IssueSettings.from_config(current_app.config)


def allow_self():
    """Whether an administrator's setting lets people record their own results."""
    return settings().allow_self_certification


def store():
    return store_for(current_app)


def certificate_pdf(cert):
    """The stored (or first rendered) PDF of one of our certificates."""
    config = current_app.config
    return pdf_for(
        cert, store(), base_url=config["PUBLIC_BASE_URL"], place=config["CERTIFICATE_PLACE"]
    )


def certificate_credential(cert, form="json"):
    """The Open Badges 3.0 credential of ``cert``: (body, mimetype, file name)."""
    from .openbadge import credential_jwt, signed_credential

    base_url = current_app.config["PUBLIC_BASE_URL"]
    if form == "jwt":
        return credential_jwt(cert, base_url=base_url), "application/vc+jwt", f"{cert.number}.jwt"
    body = json.dumps(signed_credential(cert, base_url=base_url), ensure_ascii=False, indent=2)
    return body, "application/json", f"{cert.number}.json"


def render_stored(certs, progress=None):
    """Render (in batches, on the configured worker processes) and store every PDF of
    ``certs`` (certificates or their numbers) not stored yet."""
    config = current_app.config
    return render_missing(
        certs,
        store(),
        base_url=config["PUBLIC_BASE_URL"],
        place=config["CERTIFICATE_PLACE"],
        batch=config["CERTIFICATE_RENDER_BATCH"],
        chunk=config["CERTIFICATE_RENDER_CHUNK"],
        workers=config["CERTIFICATE_RENDER_WORKERS"],
        progress=progress,
    )


def warm_render_workers(expected):
    """Start the rendering processes without waiting for them when ``expected`` certificates
    take more than one pass: their seconds of start-up (loading WeasyPrint) overlap the work
    that comes before the rendering (a bulk issue's eligibility and insertion)."""
    config = current_app.config
    workers = config["CERTIFICATE_RENDER_WORKERS"]
    if workers >= 2 and expected > config["CERTIFICATE_RENDER_CHUNK"]:
        warm_workers(workers, "trainer.certificates.pdf")


def certificate_or_404(scope, number, printing=False):
    """One of our certificates whose holder is in ``scope``; 404 otherwise. The holder and
    their unit, which the scope check reads, come with it (a query each otherwise); with
    ``printing`` (a download whose PDF is not stored yet) what printing reads too, in the same
    query (``documents.print_options``: a round trip less)."""
    options = [joinedload(Certificate.staff).joinedload(Staff.org_unit)]
    if printing:
        options += print_options()
    cert = (
        db.session.scalars(
            select(Certificate)
            .where(Certificate.number == number, Certificate.issuer_key == "")
            .options(*options)
        )
        .unique()
        .first()
    )
    if cert is None or not scope.can_see_staff(cert.staff):
        abort(404)
    return cert


def certificate_to_download(scope, number):
    """``certificate_or_404`` for a download: what printing reads comes with it when its PDF
    is not stored yet (the first download renders it)."""
    return certificate_or_404(scope, number, printing=not store().exists(number))


def level_or_none(code):
    return db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == code))


def can_issue(scope):
    """Whether ``scope``'s user issues certificates (heads and teachers only read)."""
    return scope.can(Capability.ISSUE_CERTIFICATES)
