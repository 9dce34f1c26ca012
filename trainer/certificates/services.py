"""Issuing, numbering, revoking and re-issuing certificates."""

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from .. import audit
from ..curriculum.eligibility import all_levels, completed_modules, level_progress, missing_for
from ..curriculum.errors import SelfDealing
from ..curriculum.services import is_self
from ..errors import InvalidInput
from ..extensions import db
from ..org.models import OrgUnit, Staff
from ..timeutil import local_today
from .designs import design_version_for
from .errors import AlreadyHeld, CertificateError, NotEligible, NotValid
from .held_levels import held_ranks
from .models import ONE_VALID_WHERE, Certificate, CertificateSequence, IssuingProfile
from .values import REVOKE_REASON, CertificateStatus


@dataclass(frozen=True)
class IssueSettings:
    """What the configuration says about issuing (read at the edge, passed in)."""

    prefix: str = "DB"
    allow_self_certification: bool = False
    issuer_name: str = "Sở Giáo dục và Đào tạo tỉnh Điện Biên"
    signatory_name: str = ""
    signatory_title: str = "Giám đốc"
    place_name: str = "Điện Biên"

    @classmethod
    def from_config(cls, config):
        return cls(
            prefix=config["CERTIFICATE_PREFIX"],
            issuer_name=config["CERTIFICATE_ISSUER"],
            signatory_name=config["CERTIFICATE_SIGNATORY_NAME"],
            signatory_title=config["CERTIFICATE_SIGNATORY_TITLE"],
            place_name=config["CERTIFICATE_PLACE"],
            allow_self_certification=bool(config.get("ALLOW_SELF_CERTIFICATION", False)),
        )


def issuing_profile(unit, settings):
    """(issuer, signatory name, signatory title, place) of the nearest unit with a profile."""
    ids = unit.ancestor_ids()
    profiles = {
        p.org_unit_id: p
        for p in db.session.scalars(
            select(IssuingProfile).where(IssuingProfile.org_unit_id.in_(ids))
        )
    }
    for unit_id in reversed(ids):
        if unit_id in profiles:
            p = profiles[unit_id]
            return p.issuer_name, p.signatory_name, p.signatory_title, p.place_name
    return (
        settings.issuer_name,
        settings.signatory_name,
        settings.signatory_title,
        settings.place_name,
    )


def _upsert():
    dialect = db.session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def lock_numbers(prefix, year):
    """Take the numbering lock of ``prefix`` and ``year`` until the transaction ends.

    Every issuer takes it before deciding who gets a certificate, so that decision sees
    what the issuers before it committed (PostgreSQL holds the row lock, SQLite its write
    lock); without it two issuers would both find a person without one and issue twice.
    """
    db.session.execute(
        _upsert()(CertificateSequence)
        .values(prefix=prefix, year=year, last=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    db.session.execute(
        update(CertificateSequence)
        .where(CertificateSequence.prefix == prefix, CertificateSequence.year == year)
        .values(last=CertificateSequence.last)
    )


def reserve_numbers(prefix, year, count):
    """``count`` new numbers ``PREFIX-YEAR-SEQ``; the database serialises concurrent callers."""
    db.session.execute(
        _upsert()(CertificateSequence)
        .values(prefix=prefix, year=year, last=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    last = db.session.execute(
        update(CertificateSequence)
        .where(CertificateSequence.prefix == prefix, CertificateSequence.year == year)
        .values(last=CertificateSequence.last + count)
        .returning(CertificateSequence.last)
    ).scalar_one()
    return [f"{prefix}-{year}-{seq:06d}" for seq in range(last - count + 1, last + 1)]


def valid_certificate(staff, level, on):
    """The staff member's own or external certificate of ``level`` that is valid on ``on``."""
    for cert in db.session.scalars(
        select(Certificate).where(
            Certificate.staff_id == staff.id,
            Certificate.level_id == level.id,
            Certificate.status == CertificateStatus.VALID,
        )
    ):
        if not cert.is_expired(on):
            return cert
    return None


def check_eligible(staff, level):
    """Raise ``NotEligible`` with the missing module codes unless ``staff`` may get ``level``."""
    done = completed_modules([staff.id]).get(staff.id, set())
    rank = held_ranks([staff.id]).get(staff.id, 0)
    by_level = {lv.id: level_progress(lv, done, rank) for lv in all_levels()}
    progress = by_level[level.id]
    if not progress.eligible:
        raise NotEligible(
            CertificateError.NOT_ELIGIBLE,
            missing=missing_for(progress, by_level),
            electives_needed=progress.electives_needed,
        )


def certificate_values(
    staff, level, number, *, issued_by, issued_on, settings, profile=None, design=None
):
    """The columns of a new certificate; ``profile`` is ``issuing_profile`` and ``design``
    the design version of the holder's unit when the caller already has them."""
    issuer, signatory, title, _place = profile or issuing_profile(staff.org_unit, settings)
    design = design or design_version_for(staff.org_unit, level)
    return dict(
        number=number,
        issuer_key="",
        issuer=issuer,
        external=False,
        verification_code=secrets.token_urlsafe(12),
        staff_id=staff.id,
        level_id=level.id,
        issued_on=issued_on,
        issued_by_id=getattr(issued_by, "id", None),
        printed_name=staff.full_name,
        printed_unit=staff.org_unit.name,
        signatory_name=signatory,
        signatory_title=title,
        status=CertificateStatus.VALID,
        design_version_id=getattr(design, "id", None),
    )


def new_certificate(staff, level, number, *, issued_by, issued_on, settings):
    return Certificate(
        **certificate_values(
            staff, level, number, issued_by=issued_by, issued_on=issued_on, settings=settings
        )
    )


def issue_certificate(staff, level, *, issued_by=None, settings=IssueSettings(), issued_on=None):
    """Issue ``level`` to ``staff``: 409 if they hold a valid one, 422 if not eligible."""
    if is_self(issued_by, staff) and not settings.allow_self_certification:
        raise SelfDealing(CertificateError.OWN_CERTIFICATE)
    issued_on = issued_on or local_today()
    lock_numbers(settings.prefix, issued_on.year)
    held = valid_certificate(staff, level, issued_on)
    if held is not None:
        raise AlreadyHeld(CertificateError.ALREADY_HELD, number=held.number)
    check_eligible(staff, level)
    savepoint = db.session.begin_nested()  # a lost race takes its number back with it
    try:
        [number] = reserve_numbers(settings.prefix, issued_on.year, 1)
        cert = new_certificate(
            staff, level, number, issued_by=issued_by, issued_on=issued_on, settings=settings
        )
        db.session.add(cert)
        db.session.flush()
    except IntegrityError:
        # an issuer that did not take the numbering lock (another prefix or year) was first
        savepoint.rollback()
        raise AlreadyHeld(
            "already_held",
            number=db.session.scalar(
                select(Certificate.number).where(
                    Certificate.staff_id == staff.id,
                    Certificate.level_id == level.id,
                    ONE_VALID_WHERE,
                )
            ),
        ) from None
    savepoint.commit()
    audit.record(
        "certificate.issue",
        cert,
        user=issued_by,
        number=number,
        level=level.code,
        staff=staff.staff_code,
    )
    return cert


#: Staff checked, and certificates inserted, between two progress reports of a bulk issue.
PROGRESS_CHUNK = 500


def eligible_staff(unit, level, *, on=None, progress=None):
    """Active staff of ``unit``'s subtree who may get ``level`` and hold neither a valid one of
    it nor a higher level (which implies it). ``progress`` (a job's ``Progress``) hears of
    every chunk of people checked."""
    on = on or local_today()
    ids = db.session.scalars(
        select(Staff.id)
        .join(OrgUnit, Staff.org_unit_id == OrgUnit.id)
        .where(OrgUnit.in_subtree(unit.path), Staff.status == "active")
        .order_by(OrgUnit.path, Staff.sort_key, Staff.id)
    ).all()
    if progress is not None:
        progress.done = 0
        progress.set_total(len(ids), stage="eligibility")
    result = []
    for start in range(0, len(ids), PROGRESS_CHUNK):  # chunks: progress, and short IN lists
        chunk = ids[start : start + PROGRESS_CHUNK]
        by_id = {
            s.id: s
            for s in db.session.scalars(
                select(Staff)
                .join(OrgUnit, Staff.org_unit_id == OrgUnit.id)
                .options(contains_eager(Staff.org_unit))  # the unit comes with the row
                .where(Staff.id.in_(chunk))
            )
        }
        done, ranks = completed_modules(chunk), held_ranks(chunk, on)
        for staff_id in chunk:
            if ranks.get(staff_id, 0) >= level.rank:  # holds it, or a level above it
                continue
            if level_progress(level, done.get(staff_id, set()), ranks.get(staff_id, 0)).eligible:
                result.append(by_id[staff_id])
        if progress is not None:
            progress(len(chunk))
    return result


def issue_bulk(
    unit, level, *, issued_by=None, settings=IssueSettings(), issued_on=None, progress=None
):
    """Issue ``level`` to everyone eligible in ``unit``'s subtree, numbered in one step;
    people who already hold one are skipped, also when another issuer got there first, and
    the issuer is left out (separation of duties) unless the settings allow it. ``progress``
    (a job's ``Progress``) is told of the eligibility check and the insertion, chunk by chunk."""
    issued_on = issued_on or local_today()
    lock_numbers(settings.prefix, issued_on.year)
    for _attempt in range(3):
        people = [
            person
            for person in eligible_staff(unit, level, on=issued_on, progress=progress)
            if settings.allow_self_certification or not is_self(issued_by, person)
        ]
        if not people:
            return []
        if progress is not None:
            progress.done = 0
            progress.set_total(len(people), stage="issuing")
        numbers = _insert_run(
            people,
            level,
            issued_by=issued_by,
            issued_on=issued_on,
            settings=settings,
            progress=progress,
        )
        if numbers:
            break
    else:
        raise AlreadyHeld(CertificateError.ALREADY_HELD, number=None)
    if len(numbers[0]) == len(numbers[-1]):  # same width: a range in text order too
        run = Certificate.number.between(numbers[0], numbers[-1])
    else:  # the run crosses 999999 → 1000000
        run = Certificate.number.in_(numbers)
    by_number = {
        c.number: c
        for c in db.session.scalars(select(Certificate).where(Certificate.issuer_key == "", run))
    }
    certs = [by_number[number] for number in numbers]
    audit.record(
        "certificate.issue_bulk",
        unit,
        user=issued_by,
        level=level.code,
        count=len(certs),
        first=numbers[0],
        last=numbers[-1],
    )
    return certs


def _insert_run(people, level, *, issued_by, issued_on, settings, progress=None):
    """Number and insert one certificate per person; the numbers, or None (and nothing
    written, no number used) when someone got one meanwhile from an issuer that did not
    take the numbering lock: the index skipped them, so the run would have gaps."""
    savepoint = db.session.begin_nested()
    numbers = reserve_numbers(settings.prefix, issued_on.year, len(people))
    profiles, designs = {}, {}  # one lookup per school, not per person
    # One executemany per chunk (ORM objects would be one INSERT each on SQLite); a person
    # who holds a valid one by now is left out by the unique index, not an error.
    statement = _upsert()(Certificate).on_conflict_do_nothing(
        index_elements=["staff_id", "level_id"], index_where=ONE_VALID_WHERE
    )
    for start in range(0, len(people), PROGRESS_CHUNK):
        chunk = people[start : start + PROGRESS_CHUNK]
        for person in chunk:
            if person.org_unit_id not in profiles:
                profiles[person.org_unit_id] = issuing_profile(person.org_unit, settings)
                designs[person.org_unit_id] = design_version_for(person.org_unit, level)
        db.session.execute(
            statement,
            [
                certificate_values(
                    person,
                    level,
                    number,
                    issued_by=issued_by,
                    issued_on=issued_on,
                    settings=settings,
                    profile=profiles[person.org_unit_id],
                    design=designs[person.org_unit_id],
                )
                for person, number in zip(chunk, numbers[start : start + len(chunk)], strict=True)
            ],
        )
        if progress is not None:
            progress(len(chunk))
    written = db.session.scalar(
        select(func.count())
        .select_from(Certificate)
        .where(Certificate.issuer_key == "", Certificate.number.in_(numbers))
    )
    if written != len(numbers):
        savepoint.rollback()
        return None
    savepoint.commit()
    return numbers


def revoke(cert, reason, *, actor=None, on=None):
    """Revoke a valid certificate with a reason."""
    if cert.status != CertificateStatus.VALID:
        raise NotValid(CertificateError.NOT_VALID, status=cert.status)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(CertificateError.REASON_REQUIRED, field="reason")
    cert.status, cert.revoked_on = CertificateStatus.REVOKED, on or local_today()
    cert.revoked_reason = reason[: REVOKE_REASON.maximum]
    audit.record("certificate.revoke", cert, user=actor, number=cert.number, reason=reason)
    return cert


def reissue(cert, *, actor=None, settings=IssueSettings(), issued_on=None):
    """A new number with the current name and unit; the old one is marked superseded by it."""
    if cert.status != CertificateStatus.VALID or cert.external:
        raise NotValid(CertificateError.NOT_VALID, status=cert.status)
    if is_self(actor, cert.staff) and not settings.allow_self_certification:
        raise SelfDealing(CertificateError.OWN_CERTIFICATE)
    issued_on = issued_on or local_today()
    [number] = reserve_numbers(settings.prefix, issued_on.year, 1)
    staff = db.session.get(Staff, cert.staff_id)
    cert.status = "superseded"  # first: only one valid certificate of a level at a time
    db.session.flush()
    new = new_certificate(
        staff, cert.level, number, issued_by=actor, issued_on=issued_on, settings=settings
    )
    db.session.add(new)
    db.session.flush()
    cert.status, cert.superseded_by_id = CertificateStatus.SUPERSEDED, new.id
    audit.record("certificate.reissue", cert, user=actor, old=cert.number, new=number)
    return new


def set_issuing_profile(
    unit, *, issuer_name, signatory_name, signatory_title, place_name, actor=None
):
    """Create or change who issues and signs the certificates of ``unit``'s subtree."""
    profile = db.session.get(IssuingProfile, unit.id) or IssuingProfile(org_unit_id=unit.id)
    profile.issuer_name, profile.signatory_name = issuer_name, signatory_name
    profile.signatory_title, profile.place_name = signatory_title, place_name
    db.session.add(profile)
    db.session.flush()
    audit.record(
        "issuing_profile.set",
        unit,
        user=actor,
        issuer=issuer_name,
        signatory=signatory_name,
        title=signatory_title,
    )
    return profile
