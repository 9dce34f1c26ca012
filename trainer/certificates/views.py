"""Issuing (single and bulk), certificate pages, downloads, revoke, re-issue, printing."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.scope import scope_for
from ..errors import InvalidInput
from ..extensions import db
from ..org.models import OrgUnit
from . import services
from .blueprint import bp
from .documents import merged, unit_certificates, zipped
from .edge import (
    can_issue,
    certificate_or_404,
    certificate_pdf,
    level_or_none,
    render_stored,
    settings,
    store,
)
from .errors import AlreadyHeld, NotEligible, NotValid
from .models import Certificate
from .progress import all_levels


def issuer_scope():
    scope = scope_for(current_user)
    if not can_issue(scope):
        abort(404)
    return scope


@bp.route("/staff/<code>/certificates", methods=["POST"])
@login_required
def issue(code):
    scope = issuer_scope()
    staff = scope.staff_or_404(code)
    level = level_or_none(request.form.get("level", ""))
    if level is None:
        abort(400)
    try:
        cert = services.issue_certificate(staff, level, issued_by=current_user,
                                          settings=settings())
    except NotEligible as exc:
        db.session.rollback()
        flash(_("Not eligible yet. Missing modules: %(codes)s",
                codes=", ".join(exc.details["missing"])), "error")
        return redirect(url_for("directory.staff_profile", code=code))
    except AlreadyHeld as exc:
        db.session.rollback()
        if exc.details.get("number"):
            flash(_("%(name)s already holds a valid certificate of this level: %(number)s.",
                    name=staff.full_name, number=exc.details["number"]), "error")
        else:  # lost a race to another issuer
            flash(_("%(name)s already holds a valid certificate of this level.",
                    name=staff.full_name), "error")
        return redirect(url_for("directory.staff_profile", code=code))
    db.session.commit()
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
    cert = certificate_or_404(scope_for(current_user), number)
    response = Response(certificate_pdf(cert), mimetype="application/pdf")
    disposition = "attachment" if request.args.get("download") else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{cert.number}.pdf"'
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@bp.route("/certificates/<number>/revoke", methods=["POST"])
@login_required
def revoke(number):
    cert = certificate_or_404(issuer_scope(), number)
    try:
        services.revoke(cert, request.form.get("reason", ""), actor=current_user)
    except (InvalidInput, NotValid):
        db.session.rollback()
        flash(_("Give a reason to revoke a valid certificate."), "error")
        return redirect(url_for("certificates.detail", number=number))
    db.session.commit()
    flash(_("Certificate %(number)s revoked.", number=number), "success")
    return redirect(url_for("certificates.detail", number=number))


@bp.route("/certificates/<number>/reissue", methods=["POST"])
@login_required
def reissue(number):
    cert = certificate_or_404(issuer_scope(), number)
    try:
        new = services.reissue(cert, actor=current_user, settings=settings())
    except NotValid:
        db.session.rollback()
        abort(409)
    db.session.commit()
    flash(_("Re-issued as %(number)s; %(old)s is marked superseded.", number=new.number,
            old=number), "success")
    return redirect(url_for("certificates.detail", number=new.number))


def bulk_target(scope):
    unit = scope.unit_or_404(request.values.get("org", "").strip()) \
        if request.values.get("org") else scope.home_unit()
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
        certs = services.issue_bulk(unit, level, issued_by=current_user, settings=settings())
        db.session.commit()
        render_stored(certs)
        flash(_("%(n)d certificate(s) issued.", n=len(certs)), "success")
        return redirect(url_for("certificates.bulk", org=unit.code, level=level.code))
    eligible = services.eligible_staff(unit, level)
    return render_template("certificates/bulk.html", unit=unit, level=level, eligible=eligible,
                           levels=all_levels())


@bp.route("/certificates/print.<any(pdf, zip):fmt>")
@login_required
def print_unit(fmt):
    scope = issuer_scope()
    unit, level = bulk_target(scope)
    certs = unit_certificates(OrgUnit.in_subtree(unit.path), level)
    if not certs:
        flash(_("No certificate to print for this unit and level."), "info")
        return redirect(url_for("certificates.bulk", org=unit.code, level=level.code))
    render_stored(certs)
    body = merged(certs, store()) if fmt == "pdf" else zipped(certs, store())
    mimetype = "application/pdf" if fmt == "pdf" else "application/zip"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificates-{unit.code}-{level.code}.{fmt}"')
    return response


@bp.route("/my/certificates")
@login_required
def mine():
    staff = current_user.staff
    if staff is None:
        abort(404)
    certs = db.session.scalars(
        select(Certificate).where(Certificate.staff_id == staff.id)
        .options(joinedload(Certificate.level)).order_by(Certificate.issued_on.desc())).all()
    return render_template("certificates/mine.html", certificates=certs)
