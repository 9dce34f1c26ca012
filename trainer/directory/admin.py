"""Imports in the browser (check first, then confirm) and accounts for a whole unit."""

import io
import re
import secrets
import zipfile
from datetime import date, datetime, time
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.decorators import capability_required
from ..accounts.models import User
from ..accounts.pdf import sheets_by_unit
from ..accounts.scope import Capability, scope_for
from ..accounts.services import create_accounts_for_unit, staff_without_account
from ..audit import AuditEntry
from ..extensions import db
from ..imports import KINDS, importer_for
from ..imports.base import run_import
from ..org.models import Staff
from ..pagination import paginate
from ..training.forms import LOCAL
from ..transaction import fail
from .forms import BulkAccountsForm, ImportUploadForm

bp = Blueprint("admin", __name__)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def upload_dir():
    path = Path(current_app.instance_path) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


@bp.route("/imports", methods=["GET", "POST"])
@capability_required(Capability.IMPORT_DATA)
def imports():
    form = ImportUploadForm()
    report = token = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        report = run_import(importer_for(form.kind.data), upload.filename, data, dry_run=True)
        fail()  # a check only: nothing of it is kept
        if report.ok:
            token = secrets.token_urlsafe(24)
            (upload_dir() / token).write_bytes(data)
    return render_template("directory/imports.html", form=form, report=report, token=token,
                           filename=getattr(form.file.data, "filename", ""))


@bp.route("/imports/confirm", methods=["POST"])
@capability_required(Capability.IMPORT_DATA)
def imports_confirm():
    token, kind = request.form.get("token", ""), request.form.get("kind", "")
    filename = request.form.get("filename", "")[:255] or "upload"
    path = upload_dir() / token
    if not TOKEN.match(token) or kind not in KINDS or not path.exists():
        abort(400)
    report = run_import(importer_for(kind), filename, path.read_bytes(), actor=current_user)
    if not report.ok:  # the database changed since the check: show the new report
        return render_template("directory/imports.html", form=ImportUploadForm(kind=kind),
                               report=report, token=None, filename=filename), 422
    db.session.commit()  # commit-before: the uploaded file is deleted only once it is imported
    path.unlink()
    flash(_("Imported %(rows)d row(s): %(created)d created, %(updated)d updated, %(unchanged)d "
            "unchanged.", rows=report.rows, created=report.created, updated=report.updated,
            unchanged=report.unchanged), "success")
    return redirect(url_for("admin.imports"))


@bp.route("/accounts/bulk", methods=["GET", "POST"])
@capability_required(Capability.CREATE_ACCOUNTS)
def bulk_accounts():
    form = BulkAccountsForm(request.values)
    scope = scope_for(current_user)
    unit = scope.unit_or_404(form.org.data) if form.org.data else scope.home_unit()
    pending = len(staff_without_account(unit)) if unit else 0
    if request.method == "POST" and form.validate_on_submit():
        created = create_accounts_for_unit(unit, actor=current_user)
        if not created:
            flash(_("Everybody in this unit already has an account."), "info")
            return redirect(url_for("admin.bulk_accounts", org=unit.code))
        return send_file(accounts_zip(created), mimetype="application/zip", as_attachment=True,
                         download_name=f"accounts-{unit.code}.zip")
    return render_template("directory/bulk_accounts.html", form=form, unit=unit, pending=pending)


def accounts_zip(created):
    """A ZIP with one printable PDF of one-time passwords per school."""
    buffer = io.BytesIO()
    sign_in = current_app.config["PUBLIC_BASE_URL"] + url_for("accounts.login")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for unit, pdf in sheets_by_unit(created, sign_in):
            archive.writestr(f"{unit.code}.pdf", pdf)
    buffer.seek(0)
    return buffer


@bp.route("/admin/audit")
@capability_required(Capability.VIEW_AUDIT)
def audit_log():
    """Who did what and when: imports, attendance, certificates, users, targets."""
    stmt = select(AuditEntry).options(joinedload(AuditEntry.user).joinedload(User.staff))
    who = request.args.get("who", "").strip()[:255]
    action = request.args.get("action", "").strip()[:64]
    if who:
        stmt = stmt.where(AuditEntry.user_id.in_(select(User.id).where(User.email == who.lower())
                                                 .union(select(User.id).join(User.staff).where(
                                                     Staff.staff_code == who))))
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action))
    for name, moment in (("from", time(0, 0)), ("to", time(23, 59, 59))):
        try:
            day = date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            continue
        bound = datetime.combine(day, moment, tzinfo=LOCAL)
        stmt = stmt.where(AuditEntry.at >= bound if name == "from" else AuditEntry.at <= bound)
    page = paginate(stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
                    request.args.get("page", 1, type=int), current_app.config["PAGE_SIZE"])
    args = {k: v for k, v in request.args.items() if k not in ("page", "lang")}
    return render_template("directory/audit.html", page=page, args=args, who=who,
                           action=action)
