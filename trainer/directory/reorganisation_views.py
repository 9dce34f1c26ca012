"""Reorganisations in the browser: upload → preview → apply (one transaction) → undo."""

import secrets

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.decorators import capability_required
from ..accounts.scope import Capability
from ..extensions import db
from ..imports import importer_for
from ..imports.base import run_import
from ..imports.uploads import TOKEN, upload_dir
from ..org.periods import Reorganisation
from ..org.reorganisation import UndoRefused, data_version, undo
from ..transaction import fail
from .blueprint import admin_bp as bp
from .forms import ReorganisationUploadForm


@bp.route("/admin/reorganisations", methods=["GET", "POST"])
@capability_required(Capability.IMPORT_DATA)
def reorganisations():
    form = ReorganisationUploadForm()
    report = token = None
    if form.validate_on_submit():
        data = form.file.data.read()
        report = run_import(
            importer_for("reorganisation"), form.file.data.filename, data, dry_run=True
        )
        fail()
        if report.ok:
            token = secrets.token_urlsafe(24)
            (upload_dir(current_app.instance_path) / token).write_bytes(data)
    done = db.session.scalars(
        select(Reorganisation).order_by(Reorganisation.id.desc()).limit(20)
    ).all()
    return render_template(
        "directory/reorganisations.html",
        form=form,
        report=report,
        token=token,
        filename=getattr(form.file.data, "filename", ""),
        done=done,
        version=data_version(),
    )


@bp.route("/admin/reorganisations/confirm", methods=["POST"])
@capability_required(Capability.IMPORT_DATA)
def reorganisations_confirm():
    token = request.form.get("token", "")
    filename = request.form.get("filename", "")[:255] or "upload"
    path = upload_dir(current_app.instance_path) / token
    if not TOKEN.match(token) or not path.exists():
        abort(400)
    report = run_import(
        importer_for("reorganisation"), filename, path.read_bytes(), actor=current_user
    )
    if not report.ok:  # the data changed since the preview: show the new report
        fail()
        return render_template(
            "directory/reorganisations.html",
            form=ReorganisationUploadForm(),
            report=report,
            token=None,
            filename=filename,
            done=[],
            version=None,
        )
    db.session.commit()  # commit-before: the uploaded file is deleted only once it is applied
    path.unlink()
    flash(_("The reorganisation was applied."), "success")
    return redirect(url_for("admin.reorganisations"))


@bp.route("/admin/reorganisations/<int:record_id>/undo", methods=["POST"])
@capability_required(Capability.IMPORT_DATA)
def reorganisations_undo(record_id):
    record = db.session.get(Reorganisation, record_id) or abort(404)
    try:
        undo(record, actor=current_user)
    except UndoRefused:
        fail()
        flash(_("This reorganisation can no longer be undone: the data changed since."), "error")
    else:
        flash(_("The reorganisation was undone."), "success")
    return redirect(url_for("admin.reorganisations"))
