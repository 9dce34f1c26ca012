"""Imports in the browser (check first, then confirm) and accounts for a whole unit."""

import json
from datetime import datetime, time

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import false, select
from sqlalchemy.orm import joinedload

from ..accounts.decorators import capability_required
from ..accounts.models import User
from ..accounts.scope import Capability, scope_for
from ..accounts.services import count_without_account
from ..audit import AuditEntry
from ..bounds import date_arg, page_arg
from ..errors import InvalidInput
from ..extensions import db
from ..imports import KINDS, importer_for
from ..imports.base import run_import
from ..imports.mappings import checked_columns, mapping_named, mappings_for, save_mapping
from ..imports.reader import MAX_COLUMNS, FileProblem, peek_table
from ..imports.uploads import keep_upload, upload_path
from ..jobs.launch import launch
from ..labels import IMPORT_FIELDS
from ..org.fields import hidden_characters_message
from ..org.models import OrgUnit, Staff
from ..org.text import HiddenCharacters, clean_text
from ..pagination import paginate
from ..training.forms import LOCAL
from ..transaction import fail
from .audit_sentences import FAMILIES, in_unit, sentences
from .blueprint import admin_bp as bp
from .forms import BulkAccountsForm, ImportUploadForm


def upload_form(**kwargs):
    return ImportUploadForm(mappings=mappings_for(), **kwargs)


@bp.route("/imports", methods=["GET", "POST"])
@capability_required(Capability.IMPORT_DATA)
def imports():
    """Upload a file: unknown headers are mapped first, then the report, then confirm."""
    form = upload_form()
    if not form.validate_on_submit():
        return render_template("directory/imports.html", form=form, report=None, token=None)
    upload = form.file.data
    data, importer = upload.read(), importer_for(form.kind.data)
    saved = mapping_named(form.mapping.data) if form.mapping.data else None
    if saved is not None and saved.kind != importer.kind:
        form.mapping.errors.append(_("This mapping is for another kind of file."))
        return render_template("directory/imports.html", form=form, report=None, token=None)
    columns = dict(saved.columns) if saved else {}
    token = keep_upload(current_app.instance_path, data)
    table, rows = header_of(importer, upload.filename, data, columns)
    if table is not None and (table.unknown or importer.missing_columns(table.header)):
        return mapping_page(
            importer, token, upload.filename, columns, table, saved.name if saved else ""
        )
    return checked_page(importer, token, upload.filename, data, columns, rows=rows)


def header_of(importer, filename, data, columns):
    """(the file's header and first rows with labels resolved, how many rows it has), or
    (None, 0) when it cannot be read."""
    try:
        return peek_table(filename, data, importer.resolver(columns))
    except FileProblem:
        return None, 0  # the check reports the problem


def is_large(filename, data, rows=None):
    """Whether the file has more rows than a request should check or write: then a job
    does it (a district's or the province's roster), with its progress on the job's page."""
    if rows is None:
        try:
            rows = peek_table(filename, data)[1]
        except FileProblem:
            return False  # the check in the request says why at once
    return rows > current_app.config["IMPORT_INLINE_ROWS"]


def import_job(kind, importer, token, filename, columns):
    """Start the check or the write of a large file and show its job."""
    params = {"import_kind": importer.kind, "token": token, "filename": filename}
    job = launch(kind, {**params, "columns": columns}, user=current_user)
    return redirect(url_for("jobs.detail", job_id=job.id))


def mapping_page(importer, token, filename, columns, table, name, error=None):
    missing = importer.missing_columns(table.header)
    return render_template(
        "directory/import_mapping.html",
        kind=importer.kind,
        token=token,
        filename=filename,
        columns=json.dumps(columns, ensure_ascii=False),
        unknown=table.unknown,
        fields=[(f, IMPORT_FIELDS.get(f, f)) for f in importer.fields],
        missing=missing,
        recognised=table.labels,
        name=name,
        error=error,
        header_row=table.header_row,
    )


def checked_page(importer, token, filename, data, columns, rows=None):
    """The dry-run report; the file waits under ``token`` for the confirmation."""
    if is_large(filename, data, rows):
        return import_job("imports.check", importer, token, filename, columns)
    report = run_import(importer, filename, data, dry_run=True, mapping=columns)
    fail()  # a check only: nothing of it is kept
    if not report.ok:
        upload_path(current_app.instance_path, token).unlink(missing_ok=True)
        token = None
    return render_template(
        "directory/imports.html",
        form=upload_form(kind=importer.kind),
        report=report,
        token=token,
        filename=filename,
        columns=json.dumps(columns, ensure_ascii=False),
    )


def stored_upload():
    """(importer, token, filename, path) of the file a step refers to; 400 when unknown."""
    token, kind = request.form.get("token", ""), request.form.get("kind", "")
    filename = request.form.get("filename", "")[:255] or "upload"
    path = upload_path(current_app.instance_path, token)
    if path is None or kind not in KINDS or not path.exists():
        abort(400)
    return importer_for(kind), token, filename, path


def posted_columns(importer):
    """The mapping carried by a step's hidden field, checked; 400 when malformed."""
    try:
        columns = json.loads(request.form.get("columns") or "{}")
        if not isinstance(columns, dict):
            abort(400)
        return checked_columns(importer, columns)
    except (ValueError, InvalidInput):
        abort(400)


@bp.route("/imports/mapping", methods=["POST"])
@capability_required(Capability.IMPORT_DATA)
def imports_mapping():
    """The admin's choices for the headers we did not recognise; optionally saved by name."""
    importer, token, filename, path = stored_upload()
    columns = posted_columns(importer)
    # the page sends one label per unknown header: never more than a row has columns (a
    # count that is not a number reads 0, one of 10**9 no longer loops for minutes)
    count = min(request.form.get("count", 0, type=int), MAX_COLUMNS)
    for index in range(count):
        label = request.form.get(f"label-{index}", "")
        if label:
            columns[label] = request.form.get(f"field-{index}", "")
    data = path.read_bytes()
    try:
        name = clean_text(request.form.get("save_as", ""))[:100]
    except HiddenCharacters as exc:  # a mapping's name follows the input rules (issue 14.2)
        fail()
        table = header_of(importer, filename, data, {})[0]
        return mapping_page(
            importer, token, filename, {}, table, "", error=hidden_characters_message(exc.codes)
        )
    try:
        columns = checked_columns(importer, columns)
        if name:
            save_mapping(name, importer, columns, actor=current_user)
            db.session.commit()  # commit-before: the check that follows rolls its writes back
    except InvalidInput:
        fail()
        return mapping_page(
            importer,
            token,
            filename,
            {},
            header_of(importer, filename, data, {})[0],
            name,
            error=_("Each field can come from one column only."),
        )
    return checked_page(importer, token, filename, data, columns)


@bp.route("/imports/confirm", methods=["POST"])
@capability_required(Capability.IMPORT_DATA)
def imports_confirm():
    importer, token, filename, path = stored_upload()
    columns = posted_columns(importer)
    data = path.read_bytes()
    if is_large(filename, data):
        return import_job("imports.write", importer, token, filename, columns)
    report = run_import(importer, filename, data, actor=current_user, mapping=columns)
    if not report.ok:  # the database changed since the check: show the new report
        return render_template(
            "directory/imports.html",
            form=upload_form(kind=importer.kind),
            report=report,
            token=None,
            filename=filename,
        ), 422
    db.session.commit()  # commit-before: the uploaded file is deleted only once it is imported
    path.unlink()
    flash(
        _(
            "Imported %(rows)d row(s): %(created)d created, %(updated)d updated, %(unchanged)d "
            "unchanged.",
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        ),
        "success",
    )
    return redirect(url_for("admin.imports"))


@bp.route("/accounts/bulk", methods=["GET", "POST"])
@capability_required(Capability.CREATE_ACCOUNTS)
def bulk_accounts():
    form = BulkAccountsForm(request.values)
    scope = scope_for(current_user)
    if form.org.data and not form.org.validate(form):  # a name matching several units
        unit = scope.home_unit()
    else:
        unit = scope.unit_or_404(form.org.data) if form.org.data else scope.home_unit()
    pending = count_without_account(unit) if unit else 0
    if request.method == "POST" and form.validate_on_submit():
        if not pending:
            flash(_("Everybody in this unit already has an account."), "info")
            return redirect(url_for("admin.bulk_accounts", org=unit.code))
        # a job: hashing the passwords and printing a sheet per school outlast a request
        job = launch("accounts.create_bulk", {"org": unit.code}, user=current_user, org_unit=unit)
        return redirect(url_for("jobs.detail", job_id=job.id))
    return render_template("directory/bulk_accounts.html", form=form, unit=unit, pending=pending)


@bp.route("/admin/audit")
@capability_required(Capability.VIEW_AUDIT)
def audit_log():
    """Who did what and when: imports, attendance, certificates, users, targets."""
    stmt = select(AuditEntry).options(joinedload(AuditEntry.user).joinedload(User.staff))
    who = request.args.get("who", "").strip()[:255]
    action = request.args.get("action", "").strip()[:64]
    if who:
        stmt = stmt.where(
            AuditEntry.user_id.in_(
                select(User.id)
                .where(User.email == who.lower())
                .union(select(User.id).join(User.staff).where(Staff.staff_code == who))
            )
        )
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action))
    org = request.args.get("org", "").strip()[:64]
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == org)) if org else None
    if org:  # an unknown code matches nothing, and the page says why
        stmt = stmt.where(in_unit(unit) if unit is not None else false())
    days = {}
    for name, moment in (("from", time(0, 0)), ("to", time(23, 59, 59))):
        day = days[name] = date_arg(name)
        if day is None:
            continue
        bound = datetime.combine(day, moment, tzinfo=LOCAL)
        stmt = stmt.where(AuditEntry.at >= bound if name == "from" else AuditEntry.at <= bound)
    page = paginate(
        stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
        page_arg(),
        current_app.config["PAGE_SIZE"],
    )
    args = {k: v for k, v in request.args.items() if k not in ("page", "lang")}
    return render_template(
        "directory/audit.html",
        page=page,
        rows=sentences(page.items),
        families=FAMILIES,
        args=args,
        who=who,
        action=action,
        org=org,
        org_unknown=bool(org) and unit is None,
        days=days,
    )
