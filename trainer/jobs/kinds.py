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
from .services import files_dir


@dataclass(frozen=True)
class JobKind:
    name: str
    label: object
    work: Callable


KINDS = {}


def kind(name, label):
    """Register ``work`` as the job kind ``name``."""

    def register(work):
        KINDS[name] = JobKind(name, label, work)
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
    from ..certificates.models import Certificate
    from ..certificates.request_helpers import render_stored, settings
    from ..certificates.services import eligible_staff
    from ..certificates.services import issue_bulk as issue

    unit, level = unit_by_code(job.params["org"]), level_by_code(job.params["level"])
    numbers = (job.result or {}).get("numbers")
    if numbers is None:  # not issued yet (or the attempt that issued was rolled back)
        progress.set_total(len(eligible_staff(unit, level)), stage="issuing")
        certs = issue(unit, level, issued_by=job.user, settings=settings())
        numbers = [c.number for c in certs]
        checkpoint(job, numbers=numbers, issued=len(numbers))
        db.session.commit()  # issued: a rerun only renders what is missing
    certs = (
        db.session.scalars(
            select(Certificate).where(Certificate.number.in_(numbers)).order_by(Certificate.number)
        ).all()
        if numbers
        else []
    )
    progress.done = 0
    progress.set_total(len(certs), stage="rendering")
    render_stored(certs, progress=progress)
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
        fmt, "staff", export_header(), export_rows(rows, progress), title=str(_l("Staff"))
    )
    (files_dir(current_app.instance_path, job.id) / name).write_bytes(body)
    return {"file": name, "count": len(rows)}


def job_file(job):
    """The path of a finished job's file, or ``None``."""
    name = (job.result or {}).get("file")
    if not name:
        return None
    path = files_dir(current_app.instance_path, job.id) / name
    return path if path.is_file() else None


__all__ = ["KINDS", "Job", "job_file"]
