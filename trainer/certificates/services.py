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
from ..curriculum.models import Module, Result
from ..curriculum.services import is_self
from ..errors import InvalidInput
from ..extensions import db
from ..org.models import OrgUnit, Staff
from ..timeutil import local_today
from .designs import design_chooser, design_version_for
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


def profile_chooser(settings):
    """A function of a unit's ancestor ids (``OrgUnit.ancestor_ids``) giving what
    ``issuing_profile`` gives for that unit, every profile read in one query (bulk issues)."""
    profiles = {
        p.org_unit_id: (p.issuer_name, p.signatory_name, p.signatory_title, p.place_name)
        for p in db.session.scalars(select(IssuingProfile))
    }
    default = (
        settings.issuer_name,
        settings.signatory_name,
        settings.signatory_title,
        settings.place_name,
    )

    def choose(ancestor_ids):
        for unit_id in reversed(ancestor_ids):
            if unit_id in profiles:
                return profiles[unit_id]
        return default

    return choose


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
    profile = profile or issuing_profile(staff.org_unit, settings)
    design = design or design_version_for(staff.org_unit, level)
    return _row(
        Candidate.of(staff),
        level.id,
        number,
        issued_by_id=getattr(issued_by, "id", None),
        issued_on=issued_on,
        profile=profile,
        design_id=getattr(design, "id", None),
    )


def _row(person, level_id, number, *, issued_by_id, issued_on, profile, design_id):
    """The columns of a new certificate of ``person`` (a ``Candidate``)."""
    issuer, signatory, title, _place = profile
    return {
        "number": number,
        "issuer_key": "",
        "issuer": issuer,
        "external": False,
        "verification_code": secrets.token_urlsafe(12),
        "staff_id": person.id,
        "level_id": level_id,
        "issued_on": issued_on,
        "issued_by_id": issued_by_id,
        "printed_name": person.full_name,
        "printed_unit": person.unit_name,
        "signatory_name": signatory,
        "signatory_title": title,
        "status": CertificateStatus.VALID,
        "design_version_id": design_id,
    }


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


@dataclass(frozen=True)
class Candidate:
    """Someone a bulk issue considers: what their certificate needs, read as plain columns
    (a province's thousands of ORM objects, each with its unit, cost more than the rest)."""

    id: int
    full_name: str
    org_unit_id: int
    unit_name: str
    unit_path: str

    @classmethod
    def of(cls, staff):
        unit = staff.org_unit
        return cls(staff.id, staff.full_name, unit.id, unit.name, unit.path)

    def ancestor_ids(self):
        return [int(part) for part in self.unit_path.strip("/").split("/") if part]


def active_staff_count(unit):
    """How many active staff ``unit``'s subtree has: at most that many get a bulk issue."""
    return db.session.scalar(
        select(func.count())
        .select_from(Staff)
        .join(OrgUnit, Staff.org_unit_id == OrgUnit.id)
        .where(OrgUnit.in_subtree(unit.path), Staff.status == "active")
    )


def passed_modules(staff_ids, module_ids):
    """{staff_id: {module_id}} of the ``module_ids`` each person passed (one query)."""
    rows = db.session.execute(
        select(Result.staff_id, Result.module_id)
        .join(Module, Module.id == Result.module_id)
        .where(
            Result.staff_id.in_(list(staff_ids)),
            Result.module_id.in_(list(module_ids)),
            Result.score >= Module.pass_score,
        )
        .distinct()
    )
    done = {}
    for staff_id, module_id in rows:
        done.setdefault(staff_id, set()).add(module_id)
    return done


def eligible_candidates(unit, level, *, on=None, progress=None):
    """``Candidate``s of the active staff of ``unit``'s subtree who may get ``level`` and hold
    neither a valid one of it nor a higher level (which implies it), in list order.
    ``progress`` (a job's ``Progress``) hears of every chunk of people checked."""
    on = on or local_today()
    people = [
        Candidate(*row)
        for row in db.session.execute(
            select(Staff.id, Staff.full_name, Staff.org_unit_id, OrgUnit.name, OrgUnit.path)
            .join(OrgUnit, Staff.org_unit_id == OrgUnit.id)
            .where(OrgUnit.in_subtree(unit.path), Staff.status == "active")
            .order_by(OrgUnit.path, Staff.sort_key, Staff.id)
        )
    ]
    if progress is not None:
        progress.done = 0
        progress.set_total(len(people), stage="eligibility")
    module_ids = [m.id for m in (*level.required_modules, *level.elective_modules)]
    result, verdicts = [], {}  # (modules passed, rank held) → eligible: few distinct ones
    for start in range(0, len(people), PROGRESS_CHUNK):  # chunks: progress, and short IN lists
        chunk = people[start : start + PROGRESS_CHUNK]
        ids = [person.id for person in chunk]
        ranks = held_ranks(ids, on)
        ids = [i for i in ids if ranks.get(i, 0) < level.rank]  # holds it, or a level above
        done = passed_modules(ids, module_ids) if ids and module_ids else {}
        for person in chunk:
            rank = ranks.get(person.id, 0)
            if rank >= level.rank:
                continue
            key = (frozenset(done.get(person.id, ())), rank)
            if key not in verdicts:
                verdicts[key] = level_progress(level, key[0], rank).eligible
            if verdicts[key]:
                result.append(person)
        if progress is not None:
            progress(len(chunk))
    return result


def eligible_staff(unit, level, *, on=None, progress=None):
    """The ``Staff`` (with their unit) of ``eligible_candidates``, in the same order."""
    ids = [c.id for c in eligible_candidates(unit, level, on=on, progress=progress)]
    by_id = {}
    for start in range(0, len(ids), PROGRESS_CHUNK):
        by_id.update(
            (s.id, s)
            for s in db.session.scalars(
                select(Staff)
                .join(OrgUnit, Staff.org_unit_id == OrgUnit.id)
                .options(contains_eager(Staff.org_unit))  # the unit comes with the row
                .where(Staff.id.in_(ids[start : start + PROGRESS_CHUNK]))
            )
        )
    return [by_id[i] for i in ids]


def issue_bulk(
    unit, level, *, issued_by=None, settings=IssueSettings(), issued_on=None, progress=None
):
    """Issue ``level`` to everyone eligible in ``unit``'s subtree, numbered in one step;
    people who already hold one are skipped, also when another issuer got there first, and
    the issuer is left out (separation of duties) unless the settings allow it. ``progress``
    (a job's ``Progress``) is told of the eligibility check and the insertion, chunk by chunk.
    The new certificates, in the order of their numbers."""
    numbers = issue_bulk_numbers(
        unit, level, issued_by=issued_by, settings=settings, issued_on=issued_on, progress=progress
    )
    if not numbers:
        return []
    by_number = {
        c.number: c
        for c in db.session.scalars(
            select(Certificate).where(Certificate.issuer_key == "", _number_run(numbers))
        )
    }
    return [by_number[number] for number in numbers]


def issue_bulk_numbers(
    unit, level, *, issued_by=None, settings=IssueSettings(), issued_on=None, progress=None
):
    """What ``issue_bulk`` does, giving the new certificates' numbers only (a job renders
    them a batch at a time: loading a province's certificates at once is seconds of work
    without a progress report)."""
    issued_on = issued_on or local_today()
    lock_numbers(settings.prefix, issued_on.year)
    for _attempt in range(3):
        people = [
            person
            for person in eligible_candidates(unit, level, on=issued_on, progress=progress)
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
    audit.record(
        "certificate.issue_bulk",
        unit,
        user=issued_by,
        level=level.code,
        count=len(numbers),
        first=numbers[0],
        last=numbers[-1],
    )
    return numbers


def _number_run(numbers):
    """SQL condition on ``Certificate.number``: one of ``numbers``, a run reserved together."""
    if len(numbers[0]) == len(numbers[-1]):  # same width: a range in text order too
        return Certificate.number.between(numbers[0], numbers[-1])
    return Certificate.number.in_(numbers)  # the run crosses 999999 → 1000000


def _insert_run(people, level, *, issued_by, issued_on, settings, progress=None):
    """Number and insert one certificate per ``Candidate``; the numbers, or None (and
    nothing written, no number used) when someone got one meanwhile from an issuer that did
    not take the numbering lock: the index skipped them, so the run would have gaps."""
    savepoint = db.session.begin_nested()
    numbers = reserve_numbers(settings.prefix, issued_on.year, len(people))
    profile_of, design_of = profile_chooser(settings), design_chooser(level)
    by_unit = {}  # (profile, design version id) per unit, looked up once
    issued_by_id = getattr(issued_by, "id", None)
    # One executemany per chunk (ORM objects would be one INSERT each on SQLite); a person
    # who holds a valid one by now is left out by the unique index, not an error.
    statement = _upsert()(Certificate).on_conflict_do_nothing(
        index_elements=["staff_id", "level_id"], index_where=ONE_VALID_WHERE
    )
    for start in range(0, len(people), PROGRESS_CHUNK):
        chunk = people[start : start + PROGRESS_CHUNK]
        rows = []
        for person, number in zip(chunk, numbers[start : start + len(chunk)], strict=True):
            unit = by_unit.get(person.org_unit_id)
            if unit is None:
                ancestors = person.ancestor_ids()
                design = design_of(ancestors)
                unit = by_unit[person.org_unit_id] = (
                    profile_of(ancestors),
                    getattr(design, "id", None),
                )
            rows.append(
                _row(
                    person,
                    level.id,
                    number,
                    issued_by_id=issued_by_id,
                    issued_on=issued_on,
                    profile=unit[0],
                    design_id=unit[1],
                )
            )
        db.session.execute(statement, rows)
        if progress is not None:
            progress(len(chunk))
    written = db.session.scalar(
        select(func.count())
        .select_from(Certificate)
        .where(Certificate.issuer_key == "", _number_run(numbers))
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
