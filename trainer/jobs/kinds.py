"""The kinds of long work a job can be, each a function ``work(job, progress) -> result``.

A job's work must be safe to run again after a worker died part-way: it either writes in
one transaction (rolled back by the death) or records in the job, in the same transaction
as the work, how far it got.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..errors import NotFound
from ..extensions import db
from ..org.models import OrgUnit
from ..pagination import count_rows
from .models import Job
from .services import files_dir, jobs_root


@dataclass(frozen=True)
class JobKind:
    name: str
    label: object
    work: Callable
    #: the job's file is served to its starter only (not to admins): one-time passwords
    private_file: bool = False


KINDS = {}


def kind(name, label, *, private_file=False):
    """Register ``work`` as the job kind ``name``."""

    def register(work):
        KINDS[name] = JobKind(name, label, work, private_file)
        return work

    return register


def unit_by_code(code):
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise NotFound(str(_l("No unit has the code %(code)s.", code=code)))
    return unit


def level_by_code(code):
    from ..certificates.request_helpers import level_or_none

    level = level_or_none(code)
    if level is None:
        raise NotFound(str(_l("No certificate level has the code %(code)s.", code=code)))
    return level


def checkpoint(job, **values):
    """Store ``values`` in the job's result within the current transaction (so a rerun after
    a crash sees exactly what the committed work did)."""
    job.result = {**(job.result or {}), **values}


@kind("certificates.issue_bulk", _l("Bulk issue of certificates"))
def issue_bulk(job, progress):
    """Issue a level to everyone eligible in a subtree, then render every PDF."""
    from ..certificates.request_helpers import render_stored, settings, warm_render_workers
    from ..certificates.services import active_staff_count, issue_bulk_numbers

    unit, level = unit_by_code(job.params["org"]), level_by_code(job.params["level"])
    numbers = (job.result or {}).get("numbers")
    warm_render_workers(active_staff_count(unit) if numbers is None else len(numbers))
    if numbers is None:  # not issued yet (or the attempt that issued was rolled back)
        numbers = issue_bulk_numbers(
            unit, level, issued_by=job.user, settings=settings(), progress=progress
        )
        checkpoint(job, numbers=numbers, issued=len(numbers))
        db.session.commit()  # issued: a rerun only renders what is missing
    progress.done = 0
    progress.set_total(len(numbers), stage="rendering")
    # by number: rendering reads them a batch at a time (a province's certificates loaded
    # at once would be seconds without a progress report), skipping those stored by a rerun
    render_stored(numbers, progress=progress)
    return {"numbers": numbers, "issued": len(numbers), "org": unit.code, "level": level.code}


@kind("certificates.print_unit", _l("Certificates of a unit in one file"))
def print_unit(job, progress):
    """A unit's valid certificates of a level as one merged PDF or a ZIP of PDFs."""
    from ..certificates.documents import merged, unit_certificates, zipped
    from ..certificates.request_helpers import render_stored, store

    unit, level = unit_by_code(job.params["org"]), level_by_code(job.params["level"])
    fmt = "zip" if job.params.get("fmt") == "zip" else "pdf"
    certs = unit_certificates(OrgUnit.in_subtree(unit.path), level)
    progress.set_total(len(certs) + 1, stage="rendering")
    render_stored(certs, progress=progress)
    body = merged(certs, store()) if fmt == "pdf" else zipped(certs, store())
    name = f"certificates-{unit.code}-{level.code}.{fmt}"
    (files_dir(current_app.instance_path, job.id) / name).write_bytes(body)
    progress(1)
    return {"file": name, "count": len(certs)}


@kind("directory.staff_export", _l("Staff list export"))
def staff_export(job, progress):
    """The staff list with the user's filters as CSV or XLSX, for lists too long to answer
    within a request (a province's 15,000 staff)."""
    from werkzeug.datastructures import MultiDict

    from ..accounts.scope import Scope
    from ..directory.forms import StaffFilterForm
    from ..directory.listing import export_header, export_rows, filtered_staff
    from ..exports import table_file

    fmt = "xlsx" if job.params.get("fmt") == "xlsx" else "csv"
    form = StaffFilterForm(MultiDict(job.params.get("filters") or {}))
    form.validate()
    query = filtered_staff(form, Scope(job.user))
    progress.set_total(count_rows(query), stage="exporting")
    rows = db.session.scalars(query).all()
    body, name = table_file(
        fmt,
        "staff",
        export_header(),
        export_rows(rows, progress),
        title=str(_l("Staff")),
        vietnamese=job.params.get("vietnamese", True),
    )
    (files_dir(current_app.instance_path, job.id) / name).write_bytes(body)
    return {"file": name, "count": len(rows)}


@kind("coverage.report_pack", _l("Report pack"))
def report_pack(job, progress):
    """A unit's report pack for a level and date as one XLSX or the same as a PDF."""
    from datetime import date

    from ..coverage.pack import SHEET_COUNT, pack_sheets, write_pdf, write_xlsx

    unit, level = unit_by_code(job.params["org"]), level_by_code(job.params["level"])
    as_of = date.fromisoformat(job.params["as_of"])
    fmt = "pdf" if job.params.get("fmt") == "pdf" else "xlsx"
    progress.set_total(SHEET_COUNT + 1, stage="exporting")
    sheets = pack_sheets(unit, level, as_of, progress=progress)
    title = str(_l("Report pack: %(unit)s", unit=sheets[0].rows[0][1]))
    body = (
        write_pdf(sheets, title=title, as_of=as_of)
        if fmt == "pdf"
        else write_xlsx(sheets, title=title)
    )
    name = f"report-{unit.code}-{level.code}-{as_of.isoformat()}.{fmt}"
    (files_dir(current_app.instance_path, job.id) / name).write_bytes(body)
    progress(1)
    return {"file": name, "org": unit.code, "level": level.code, "as_of": as_of.isoformat()}


@kind("accounts.create_bulk", _l("Accounts for a unit"), private_file=True)
def create_bulk_accounts(job, progress):
    """Accounts with one-time passwords for a subtree's staff without one, and the ZIP of
    password sheets (one PDF per school). The accounts and the record of the file are
    committed together, the file written just before: a rerun after a crash either redoes
    everything (nothing was committed) or finds the file."""
    from ..accounts.pdf import sheets_by_unit, sheets_zip
    from ..accounts.services import create_accounts_for_unit, staff_without_account

    done = job.result or {}
    if "created" in done:  # committed by a run that died before recording its end
        return done
    unit = unit_by_code(job.params["org"])
    progress.set_total(len(staff_without_account(unit)), stage="accounts")
    role = job.params.get("role") or "teacher"
    created = create_accounts_for_unit(unit, role=role, actor=job.user, progress=progress)
    result = {"org": unit.code, "created": len(created), "schools": 0}
    if created:
        progress.done = 0
        progress.set_total(len(created), stage="rendering")
        sheets = sheets_by_unit(created, sign_in_url(), progress=progress)
        name = f"accounts-{unit.code}.zip"
        (files_dir(current_app.instance_path, job.id) / name).write_bytes(sheets_zip(sheets))
        result.update(file=name, schools=len(sheets))
    checkpoint(job, **result)  # in the accounts' transaction
    return result


def import_params(job):
    """(importer, filename, path of the upload, columns) of an import job."""
    from ..imports import importer_for
    from ..imports.uploads import upload_path

    params = job.params
    path = upload_path(current_app.instance_path, params["token"])
    return importer_for(params["import_kind"]), params["filename"], path, params.get("columns")


def uploaded(path):
    """The bytes of an upload a job works on; a failure the user understands when gone."""
    if path is None or not path.is_file():
        raise NotFound(str(_l("The uploaded file is no longer on the server: upload it again.")))
    return path.read_bytes()


@kind("imports.check", _l("Check of an import file"))
def import_check(job, progress):
    """Check every row of an uploaded file and write nothing: the outcome is the row
    report. A file with bad rows is deleted; a good one waits for the confirmation."""
    from ..imports.base import run_import
    from ..imports.report import report_as_dict

    importer, filename, path, columns = import_params(job)
    report = run_import(
        importer, filename, uploaded(path), dry_run=True, mapping=columns, progress=progress
    )
    db.session.rollback()  # a check only: nothing of it is kept
    if not report.ok:
        path.unlink(missing_ok=True)
    return {"report": report_as_dict(report), "filename": filename}


@kind("imports.write", _l("Import"))
def import_write(job, progress):
    """Check and write an uploaded file all or nothing, in one transaction with the record
    of the outcome in the job: a rerun after a crash redoes it all (nothing was committed)
    or finds the outcome (everything was)."""
    from ..imports.base import run_import
    from ..imports.report import report_as_dict

    importer, filename, path, columns = import_params(job)
    if "report" not in (job.result or {}):
        report = run_import(
            importer,
            filename,
            uploaded(path),
            actor=job.user,
            mapping=columns,
            progress=progress,
        )
        if not report.ok:  # the database changed since the check: the new report
            db.session.rollback()
            path.unlink(missing_ok=True)  # its token is not offered again
            return {"report": report_as_dict(report), "filename": filename}
        checkpoint(job, report=report_as_dict(report), filename=filename)
        db.session.commit()  # imported: the upload may go
    if path is not None:
        path.unlink(missing_ok=True)
    return job.result


def sign_in_url():
    """The sign-in page's address printed on the password sheets."""
    return current_app.config["PUBLIC_BASE_URL"] + "/login"


def job_file(job):
    """The path of a finished job's file, or ``None``."""
    name = (job.result or {}).get("file")
    if not name:
        return None
    path = jobs_root(current_app.instance_path) / str(job.id) / name
    return path if path.is_file() else None


def file_for_user(job, user):
    """The job's file if ``user`` may download it: a private file (one-time passwords) only
    by the job's starter, any other by whoever may see the job."""
    kind = KINDS.get(job.kind)
    if kind is not None and kind.private_file and job.user_id != getattr(user, "id", None):
        return None
    return job_file(job)


__all__ = ["KINDS", "Job", "file_for_user", "job_file"]
