"""Issuing (single and bulk), certificate pages, downloads, revoke, re-issue, printing."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.scope import Capability, scope_for
from ..curriculum.eligibility import all_levels
from ..errors import InvalidInput
from ..extensions import db
from ..jobs.launch import launch
from ..org.fields import hidden_characters_message
from ..org.models import OrgUnit
from ..org.text import HiddenCharacters, clean_text
from ..transaction import fail
from . import services
from .blueprint import bp
from .documents import unit_certificates
from .errors import AlreadyHeld, NotEligible, NotValid
from .models import Certificate
from .request_helpers import (
    can_issue,
    certificate_credential,
    certificate_or_404,
    certificate_pdf,
    certificate_to_download,
    level_or_none,
    settings,
)


def issuer_scope(capability=Capability.ISSUE_CERTIFICATES):
    return scope_for(current_user).require(capability)


@bp.route("/staff/<code>/certificates", methods=["POST"])
@login_required
def issue(code):
    scope = issuer_scope()
    staff = scope.staff_or_404(code)
    level = level_or_none(request.form.get("level", ""))
    if level is None:
        abort(400)
    try:
        cert = services.issue_certificate(staff, level, issued_by=current_user, settings=settings())
    except NotEligible as exc:
        fail()
        flash(
            _(
                "Not eligible yet. Missing modules: %(codes)s",
                codes=", ".join(exc.details["missing"]),
            ),
            "error",
        )
        return redirect(url_for("directory.staff_profile", code=code))
    except AlreadyHeld as exc:
        fail()
        if exc.details.get("number"):
            flash(
                _(
                    "%(name)s already holds a valid certificate of this level: %(number)s.",
                    name=staff.full_name,
                    number=exc.details["number"],
                ),
                "error",
            )
        else:  # lost a race to another issuer
            flash(
                _(
                    "%(name)s already holds a valid certificate of this level.",
                    name=staff.full_name,
                ),
                "error",
            )
        return redirect(url_for("directory.staff_profile", code=code))
    flash(_("Certificate %(number)s issued.", number=cert.number), "success")
    return redirect(url_for("certificates.detail", number=cert.number))


@bp.route("/certificates/<number>")
@login_required
def detail(number):
    scope = scope_for(current_user)
    cert = certificate_or_404(scope, number)
    return render_template("certificates/detail.html", cert=cert, manage=can_issue(scope))


@bp.route("/certificates/<number>.pdf")
@login_required
def download(number):
    cert = certificate_to_download(scope_for(current_user), number)
    response = Response(certificate_pdf(cert), mimetype="application/pdf")
    disposition = "attachment" if request.args.get("download") else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{cert.number}.pdf"'
    response.add_etag()  # "private, no-cache" (http_policy.py): the viewer asks again, gets a 304
    response.make_conditional(request)
    return response


@bp.route("/certificates/<number>.<any(json, jwt):form>")
@login_required
def credential(number, form):
    """The Open Badges 3.0 credential, to carry the certificate to other systems."""
    cert = certificate_or_404(scope_for(current_user), number)
    if cert.external:
        abort(404)
    body, mimetype, filename = certificate_credential(cert, form)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/certificates/<number>/revoke", methods=["POST"])
@login_required
def revoke(number):
    cert = certificate_or_404(issuer_scope(Capability.REVOKE_CERTIFICATES), number)
    try:
        reason = clean_text(request.form.get("reason", ""))
    except HiddenCharacters as exc:
        flash(hidden_characters_message(exc.codes), "error")
        return redirect(url_for("certificates.detail", number=number))
    try:
        services.revoke(cert, reason, actor=current_user)
    except (InvalidInput, NotValid):
        fail()
        flash(_("Give a reason to revoke a valid certificate."), "error")
        return redirect(url_for("certificates.detail", number=number))
    flash(_("Certificate %(number)s revoked.", number=number), "success")
    return redirect(url_for("certificates.detail", number=number))


@bp.route("/certificates/<number>/reissue", methods=["POST"])
@login_required
def reissue(number):
    cert = certificate_or_404(issuer_scope(), number)
    try:
        new = services.reissue(cert, actor=current_user, settings=settings())
    except NotValid:
        abort(409)
    flash(
        _("Re-issued as %(number)s; %(old)s is marked superseded.", number=new.number, old=number),
        "success",
    )
    return redirect(url_for("certificates.detail", number=new.number))


def bulk_target(scope):
    unit = (
        scope.unit_or_404(request.values.get("org", "").strip())
        if request.values.get("org")
        else scope.home_unit()
    )
    level = level_or_none(request.values.get("level", "basic"))
    if unit is None or level is None:
        abort(404)
    return unit, level


@bp.route("/certificates/bulk", methods=["GET", "POST"])
@login_required
def bulk():
    scope = issuer_scope()
    unit, level = bulk_target(scope)
    if request.method == "POST":
        job = launch(
            "certificates.issue_bulk",
            {"org": unit.code, "level": level.code},
            user=current_user,
            org_unit=unit,
        )
        return redirect(url_for("jobs.detail", job_id=job.id))
    eligible = services.eligible_staff(unit, level)
    return render_template(
        "certificates/bulk.html", unit=unit, level=level, eligible=eligible, levels=all_levels()
    )


@bp.route("/certificates/print.<any(pdf, zip):fmt>", methods=["GET", "POST"])
@login_required
def print_unit(fmt):
    """A unit's certificates in one PDF or a ZIP, made by a job. Only the form's POST (with
    its CSRF token) starts it: a GET (a link, a prefetch, a crawler) answers the bulk page
    that offers the buttons and starts nothing."""
    scope = issuer_scope()
    unit, level = bulk_target(scope)
    if request.method != "POST":
        return redirect(url_for("certificates.bulk", org=unit.code, level=level.code))
    if not unit_certificates(OrgUnit.in_subtree(unit.path), level, limit=1):
        flash(_("No certificate to print for this unit and level."), "info")
        return redirect(url_for("certificates.bulk", org=unit.code, level=level.code))
    job = launch(
        "certificates.print_unit",
        {"org": unit.code, "level": level.code, "fmt": fmt},
        user=current_user,
        org_unit=unit,
    )
    return redirect(url_for("jobs.detail", job_id=job.id))


@bp.route("/my/certificates")
@login_required
def mine():
    staff = current_user.staff
    if staff is None:
        abort(404)
    certs = db.session.scalars(
        select(Certificate)
        .where(Certificate.staff_id == staff.id)
        .options(joinedload(Certificate.level))
        .order_by(Certificate.issued_on.desc())
    ).all()
    return render_template("certificates/mine.html", certificates=certs)
