"""Certificate PDFs: render once and keep; print a unit's certificates merged or zipped."""

import io
import zipfile

from pypdf import PdfWriter
from sqlalchemy import inspect, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..org.models import Staff
from .models import Certificate, CertificateLevel, LevelModule
from .pdf import render_certificate
from .progress import eligible_modules, first_passed


def verify_url(base_url, cert):
    return f"{base_url}/verify/{cert.verification_code}"


def printed_modules(certs):
    """{certificate id: the modules it prints}: those that made its holder eligible (the
    required ones and the electives passed by its issue date), in a few queries."""
    levels = {level.id: level for level in db.session.scalars(
        select(CertificateLevel).where(CertificateLevel.id.in_({c.level_id for c in certs}))
        .options(selectinload(CertificateLevel.level_modules)
                 .joinedload(LevelModule.module)))}
    passed = first_passed({c.staff_id for c in certs})
    return {cert.id: eligible_modules(levels[cert.level_id], passed.get(cert.staff_id, {}),
                                      cert.issued_on)
            for cert in certs}


def genders(certs):
    """{staff_id: gender} of the holders, in one query (for Ông/Bà)."""
    ids = {c.staff_id for c in certs}
    return dict(db.session.execute(select(Staff.id, Staff.gender).where(Staff.id.in_(ids))).all())


def render(cert, modules, *, base_url, place, locale="vi", gender=None):
    return render_certificate(cert, modules=modules, verify_url=verify_url(base_url, cert),
                              gender=gender, place=place, locale=locale)


def pdf_for(cert, store, *, base_url, place, locale="vi"):
    """The stored PDF of one of our certificates, rendering and storing it the first time."""
    data = store.get(cert.number)
    if data is None:
        data = render(cert, printed_modules([cert])[cert.id], base_url=base_url, place=place,
                      locale=locale, gender=genders([cert]).get(cert.staff_id))
        store.put(cert.number, data)
    return data


def loaded(certs, chunk=500):
    """``certs`` with their columns and level loaded by a few queries instead of one per
    certificate (after a commit every object is expired and would reload on its own)."""
    ids = [state.identity[0] for state in map(inspect, certs) if state.identity]
    for start in range(0, len(ids), chunk):
        db.session.scalars(select(Certificate).where(Certificate.id.in_(ids[start:start + chunk]))
                           .options(joinedload(Certificate.level))).all()
    return certs


def render_missing(certs, store, *, base_url, place, locale="vi", batch=200, progress=None):
    """Render and store the PDFs not stored yet, a batch at a time (bounded memory)."""
    certs = [c for c in loaded(certs) if not c.external]
    modules = printed_modules(certs)
    gender_of = genders(certs)
    rendered = 0
    for start in range(0, len(certs), batch):
        for cert in certs[start:start + batch]:
            if not store.exists(cert.number):
                store.put(cert.number, render(cert, modules[cert.id],
                                              base_url=base_url, place=place, locale=locale,
                                              gender=gender_of.get(cert.staff_id)))
                rendered += 1
            if progress:
                progress(1)
    return rendered


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


def unit_certificates(unit_condition, level):
    """Our valid certificates of ``level`` for staff matching ``unit_condition``."""
    from ..org.models import OrgUnit

    return db.session.scalars(
        select(Certificate).join(Staff, Staff.id == Certificate.staff_id)
        .join(OrgUnit, OrgUnit.id == Staff.org_unit_id)
        .where(unit_condition, Certificate.level_id == level.id, Certificate.status == "valid",
               Certificate.external.is_(False))
        .options(joinedload(Certificate.level).joinedload(CertificateLevel.level_modules))
        .order_by(OrgUnit.path, Staff.search_key)).unique().all()
