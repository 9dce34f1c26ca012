"""Long operations started through the API as jobs: imports and accounts for a unit."""

from flask import current_app, request

from ..accounts.scope import Capability
from ..accounts.services import count_without_account
from ..errors import Common, Conflict, InvalidInput, NotFound
from ..imports import KINDS as IMPORT_KINDS
from ..imports.uploads import keep_upload
from . import bp
from .auth import scope
from .jobs import accepted
from .jobs import start as start_job
from .json import json_body, need, plain_text

#: What ``POST /imports/<kind>`` accepts: the CLI's kinds and the reorganisation file.
API_IMPORT_KINDS = (*IMPORT_KINDS, "reorganisation")
#: The words a form field may use for "yes" in ``dry_run``.
YES = ("1", "true", "yes")


def capable(capability):
    """404 unless the caller may do ``capability`` (as the pages answer)."""
    if not scope().can(capability):
        raise NotFound(Common.NOT_FOUND)


def uploaded_file():
    """(file name, bytes) of the multipart field ``file``; ``InvalidInput`` without one."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InvalidInput(Common.FIELD_REQUIRED, field="file")
    name = plain_text(upload.filename, "file", limit=255)
    return name, upload.read()


@bp.post("/imports/<kind>")
def import_start(kind):
    """Check (``dry_run``) or check and write an import file, all or nothing, as a job."""
    capable(Capability.IMPORT_DATA)
    if kind not in API_IMPORT_KINDS:
        raise NotFound(Common.NOT_FOUND)
    dry_run = request.form.get("dry_run", request.args.get("dry_run", "")).lower() in YES
    filename, data = uploaded_file()
    token = keep_upload(current_app.instance_path, data)
    job = start_job(
        "imports.check" if dry_run else "imports.write",
        {"import_kind": kind, "token": token, "filename": filename},
    )
    return accepted(job)


@bp.post("/accounts/bulk")
def accounts_bulk():
    """Accounts with one-time passwords for a unit's staff who have none, as a job whose
    file (the password sheets) only the caller may download."""
    capable(Capability.CREATE_ACCOUNTS)
    unit = scope().unit_or_404(need(json_body(), "org", str))
    if not count_without_account(unit):
        raise Conflict(Common.ALL_HAVE_ACCOUNTS)
    return accepted(start_job("accounts.create_bulk", {"org": unit.code}, org_unit=unit))
