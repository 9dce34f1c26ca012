"""Certificate PDFs: render once and keep; print a unit's certificates merged or zipped."""

import io
import zipfile
from types import SimpleNamespace

from pypdf import PdfWriter
from sqlalchemy import inspect, select
from sqlalchemy.orm import joinedload

from ..curriculum.eligibility import first_passed, modules_passed_by
from ..curriculum.models import CertificateLevel, LevelModule
from ..documents.pool import Pipeline
from ..extensions import db
from ..org.models import Staff
from .design_spec import DEFAULT_DESIGN
from .designs import design_version_for, images_of
from .models import Certificate
from .pdf import CertificateJob, certificate_batch, render_certificates, write_certificate_pdfs
from .statements import sign_statement


def verify_url(base_url, cert):
    return f"{base_url}/verify/{cert.verification_code}"


def qr_payload(cert, *, base_url):
    """What the certificate's QR code carries: its verification address, ``#``, and the
    province's signed statement of it (checkable offline with the published key)."""
    return f"{verify_url(base_url, cert)}#{sign_statement(cert)}"


def level_modules(level_ids):
    """{level_id: [modules to print]}: required, then electives, in curriculum order."""
    rows = db.session.scalars(
        select(LevelModule)
        .where(LevelModule.level_id.in_(level_ids))
        .options(joinedload(LevelModule.module))
    ).all()
    result = {}
    for row in sorted(rows, key=lambda r: (not r.required, r.module.sort_order)):
        result.setdefault(row.level_id, []).append(row.module)
    return result


def printed_modules(certs):
    """{certificate id: the modules that made its holder eligible, passed by its issue day}."""
    passed = first_passed({c.staff_id for c in certs})
    levels = {}  # a level's modules in order, sorted once (not once per certificate)
    for c in certs:
        if c.level_id not in levels:
            levels[c.level_id] = SimpleNamespace(
                required_modules=c.level.required_modules,
                elective_modules=c.level.elective_modules,
            )
    return {
        c.id: modules_passed_by(levels[c.level_id], passed.get(c.staff_id, {}), c.issued_on)
        for c in certs
    }


def genders(certs):
    """{staff_id: gender} of the holders, in one query (for Ông/Bà)."""
    ids = {c.staff_id for c in certs}
    return dict(db.session.execute(select(Staff.id, Staff.gender).where(Staff.id.in_(ids))).all())


def design_of(cert):
    """The design version ``cert`` is printed with; one from before designs gets (and keeps)
    the one that applies now."""
    if cert.design_version_id is None:
        staff = db.session.get(Staff, cert.staff_id)
        version = design_version_for(staff.org_unit, cert.level)
        cert.design_version_id = getattr(version, "id", None)
        return version
    return cert.design_version


def job_for(cert, modules, *, base_url, place, gender=None, specs=None):
    """What to print for ``cert``, with the design version it records; ``specs`` keeps each
    version's spec for the next certificates (bulk rendering)."""
    version = design_of(cert)
    if version is None:
        spec, key = DEFAULT_DESIGN, "default"
    else:
        specs = {} if specs is None else specs
        if version.id not in specs:
            specs[version.id] = version.spec()
        spec, key = specs[version.id], str(version.id)
    return CertificateJob(
        cert,
        modules,
        verify_url(base_url, cert),
        gender,
        place,
        spec,
        key,
        qr_data=qr_payload(cert, base_url=base_url),
    )


def render_jobs(jobs, locale="vi"):
    """PDF bytes per job, the designs' images loaded once."""
    versions = {job.cert.design_version for job in jobs if job.cert.design_version_id}
    return render_certificates(jobs, images=images_of(versions), locale=locale)


def render(cert, modules, *, base_url, place, locale="vi", gender=None):
    """The PDF bytes of one certificate."""
    job = job_for(cert, modules, base_url=base_url, place=place, gender=gender)
    return render_jobs([job], locale=locale)[0]


def pdf_for(cert, store, *, base_url, place, locale="vi"):
    """The stored PDF of one of our certificates, rendering and storing it the first time."""
    data = store.get(cert.number)
    if data is None:
        for_print(cert)
        data = render(
            cert,
            printed_modules([cert])[cert.id],
            base_url=base_url,
            place=place,
            locale=locale,
            gender=cert.staff.gender,
        )
        store.put(cert.number, data)
    return data


def print_options():
    """What printing a certificate reads beside its holder, as loader options: its level with
    the level's modules, and its design version (``for_print``;
    ``request_helpers.certificate_or_404`` for a download). Made when asked: building them
    configures the mappers, which a rendering worker process never needs."""
    return (
        joinedload(Certificate.level)
        .joinedload(CertificateLevel.level_modules)
        .joinedload(LevelModule.module),
        joinedload(Certificate.design_version),
    )


def for_print(cert):
    """``cert`` with what printing it reads (its level with the level's modules and design
    version) loaded by one query, where a download loaded each on its own (a query a module),
    unless the query that found it loaded them (a download: ``certificate_or_404``). Its
    holder came with it (``certificate_or_404``)."""
    if not {"level", "design_version"} & inspect(cert).unloaded and not (
        cert.level is not None and "level_modules" in inspect(cert.level).unloaded
    ):
        return cert
    db.session.scalars(
        select(Certificate).where(Certificate.id == cert.id).options(*print_options())
    ).unique().all()
    return cert


def loaded(certs, chunk=500):
    """``certs`` with their columns and level loaded by a few queries instead of one per
    certificate (after a commit every object is expired and would reload on its own)."""
    ids = [state.identity[0] for state in map(inspect, certs) if state.identity]
    for start in range(0, len(ids), chunk):
        db.session.scalars(
            select(Certificate)
            .where(Certificate.id.in_(ids[start : start + chunk]))
            .options(joinedload(Certificate.level), joinedload(Certificate.design_version))
        ).all()
    return certs


#: How long one pass may take where it runs: progress is told as a pass ends, so on a loaded
#: machine passes get smaller rather than longer (issue 17: progress at least every second).
#: Passes of 10 cost ≈ 9 % more CPU a certificate than passes of 20, passes of 2 ≈ 30 % more.
PASS_SECONDS = 0.8
#: Certificates in a run's first pass, before a pass was timed: the first report comes soon.
FIRST_PASS = 4


def pass_size(item_seconds, chunk):
    """Certificates in the next pass: ``chunk`` at most, and no more than a pass of
    ``PASS_SECONDS`` at the latest pass's ``item_seconds`` a certificate (None: not timed)."""
    if item_seconds is None:
        return min(chunk, FIRST_PASS)
    return max(1, min(chunk, int(PASS_SECONDS / max(item_seconds, 1e-6))))


def by_numbers(numbers):
    """Our certificates of ``numbers``, in that order, with their level and design version."""
    if not numbers:
        return []
    found = {
        c.number: c
        for c in db.session.scalars(
            select(Certificate)
            .where(
                Certificate.issuer_key == "",
                Certificate.external.is_(False),
                Certificate.number.in_(numbers),
            )
            .options(joinedload(Certificate.level), joinedload(Certificate.design_version))
        )
    }
    return [found[number] for number in numbers if number in found]


def render_missing(
    certs,
    store,
    *,
    base_url,
    place,
    locale="vi",
    batch=200,
    chunk=20,
    workers=0,
    progress=None,
):
    """Render and store the PDFs not stored yet; the number rendered.

    ``certs`` are certificates or their numbers (a job's province: read ``batch`` at a time,
    bounded memory and a few queries each, never all before the first PDF). They are laid out
    up to ``chunk`` to a WeasyPrint pass (fewer when a pass would take over ``PASS_SECONDS``),
    on ``workers`` processes (below 2: in this one) while this one prepares the next pass.
    ``progress(n)`` hears of every certificate stored as its pass ends (and of the ones
    stored before), so a job reports at least every pass."""
    rendered = 0
    workers = workers if len(certs) > chunk else 0  # one pass: no process to start
    with Pipeline(write_certificate_pdfs, workers=workers) as pipeline:

        def stored(finished):
            nonlocal rendered
            for numbers, pdfs in finished:
                for number, data in zip(numbers, pdfs, strict=True):
                    store.put(number, data)
                    rendered += 1
                    if progress:
                        progress(1)

        def size():
            return pass_size(pipeline.item_seconds, chunk)

        for start in range(0, len(certs), batch):
            part = certs[start : start + batch]
            todo = _unstored(part, store)
            if progress and len(todo) < len(part):
                progress(len(part) - len(todo))  # stored before (or external: no PDF of ours)
            for jobs, pass_ in _passes(todo, size, base_url=base_url, place=place, locale=locale):
                stored(pipeline.submit([job.cert.number for job in jobs], pass_))
        stored(pipeline.drain())
    return rendered


def _unstored(part, store):
    """The certificates of ``part`` (certificates or numbers) whose PDF is not stored yet."""
    if part and isinstance(part[0], str):  # numbers: those stored need no reading at all
        return by_numbers([number for number in part if not store.exists(number)])
    read = loaded(part)  # after a commit they are expired: reloaded here, a batch at once
    return [c for c in read if not c.external and not store.exists(c.number)]


def _passes(certs, size, *, base_url, place, locale):
    """``(jobs, CertificateBatch)`` of ``size()`` certificates at a time."""
    modules = printed_modules(certs)
    gender_of = genders(certs)
    specs, images = {}, {}  # per design version, made once
    start = 0
    while start < len(certs):
        jobs = [
            job_for(
                cert,
                modules[cert.id],
                base_url=base_url,
                place=place,
                gender=gender_of.get(cert.staff_id),
                specs=specs,
            )
            for cert in certs[start : start + size()]
        ]
        start += len(jobs)
        versions = {job.cert.design_version for job in jobs if job.cert.design_version_id}
        for version in versions - images.keys():
            images[version] = images_of([version])
        used = {name: data for v in versions for name, data in images[v].items()}
        yield jobs, certificate_batch(jobs, images=used, locale=locale)


def merged(certs, store):
    """One PDF of all the certificates, for the printer."""
    writer = PdfWriter()
    for cert in certs:
        writer.append(io.BytesIO(store.get(cert.number)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zipped(certs, store):
    """A ZIP with one PDF per person, named by number and name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for cert in certs:
            archive.writestr(f"{cert.number}.pdf", store.get(cert.number))
    return buffer.getvalue()


def unit_certificates(unit_condition, level, *, limit=None):
    """Our valid certificates of ``level`` for staff matching ``unit_condition``."""
    from ..org.models import OrgUnit

    return (
        db.session.scalars(
            select(Certificate)
            .join(Staff, Staff.id == Certificate.staff_id)
            .join(OrgUnit, OrgUnit.id == Staff.org_unit_id)
            .where(
                unit_condition,
                Certificate.level_id == level.id,
                Certificate.status == "valid",
                Certificate.external.is_(False),
            )
            .options(joinedload(Certificate.level).joinedload(CertificateLevel.level_modules))
            .order_by(OrgUnit.path, Staff.sort_key)
            .limit(limit)
        )
        .unique()
        .all()
    )
