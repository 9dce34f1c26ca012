"""Demo training activity: two years of sessions with rosters and attendance (bulk inserts)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..curriculum.models import Module
from ..extensions import db
from ..org.models import OrgUnit, Staff
from ..training.models import Enrollment, TrainingSession
from .bulk_insert import insert_rows, stored

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
SESSIONS_PER_TRAINER = {"small": 10, "province": 46, "large": 46}
ROSTER_SIZE = {"small": (8, 16), "province": (15, 28), "large": (6, 10)}
PAST_DAYS, FUTURE_DAYS = 720, 30
ATTENDANCE = (["present"] * 85) + (["late"] * 6) + (["excused"] * 5) + (["absent"] * 4)
SLOTS = ((time(7, 30), time(10, 30)), (time(14, 0), time(17, 0)))


def module_pool():
    """Module ids weighted like a province's programme: mostly basic, some advanced."""
    modules = db.session.scalars(select(Module).order_by(Module.sort_order)).all()
    pool = []
    for module in modules:
        weight = {"basic": 12, "advanced": 3, "digital": 2}.get(module.group, 1)
        pool += [module] * weight
    return pool


def district_people(district):
    """(trainers, everyone active) of a district's subtree, as (id, unit id) tuples."""
    rows = db.session.execute(
        select(Staff.id, Staff.org_unit_id, Staff.position)
        .join(OrgUnit, Staff.org_unit_id == OrgUnit.id)
        .where(OrgUnit.in_subtree(district.path), Staff.status == "active")
        .order_by(Staff.id)
    ).all()
    trainers = [(r.id, r.org_unit_id) for r in rows if r.position == "it_teacher"]
    return trainers, [r.id for r in rows]


def working_days():
    """Day offsets from today, two years back and a month ahead, Monday to Saturday; today and
    a week from today stay free for the demo accounts' own sessions."""
    today = datetime.now(LOCAL).date()
    return [
        d
        for d in range(-PAST_DAYS, FUTURE_DAYS + 1)
        if d not in (0, 7) and (today + timedelta(days=d)).weekday() < 6
    ]


def build_sessions(scale, districts, rng):
    """Bulk-insert sessions, rosters and attendance; return (sessions, enrolments)."""
    pool, today, days = module_pool(), datetime.now(LOCAL).date(), working_days()
    now = datetime.now(UTC)
    sessions, rosters = [], []
    for district, _office in districts:
        trainers, everyone = district_people(district)
        for trainer_id, unit_id in trainers:
            for offset in sorted(rng.sample(days, SESSIONS_PER_TRAINER[scale])):
                start, end = rng.choice(SLOTS)
                day = today + timedelta(days=offset)
                starts = datetime.combine(day, start, tzinfo=LOCAL).astimezone(UTC)
                module = rng.choice(pool)
                past = starts < now
                status = ("cancelled" if rng.random() < 0.03 else "held") if past else "scheduled"
                size = rng.randint(*ROSTER_SIZE[scale])
                members = rng.sample(everyone, min(size, len(everyone)))
                sessions.append(
                    {
                        "module_id": module.id,
                        "title": module.name_vi,
                        "trainer_id": trainer_id,
                        "org_unit_id": unit_id,
                        "location": rng.choice(["Phòng máy", "Phòng họp", "Phòng tin học số 1"]),
                        "starts_at": starts,
                        "ends_at": datetime.combine(day, end, tzinfo=LOCAL).astimezone(UTC),
                        "capacity": 30,
                        "enrolled_count": len(members),
                        "status": status,
                        "late_after_minutes": 10,
                        "created_at": now,
                    }
                )
                rosters.append((members, status == "held"))
    columns = list(sessions[0]) if sessions else []
    insert_rows(
        "training_sessions",
        columns,
        [tuple(stored(r[c]) if c.endswith("_at") else r[c] for c in columns) for r in sessions],
    )
    ids = db.session.execute(
        select(TrainingSession.id, TrainingSession.trainer_id, TrainingSession.starts_at)
    ).all()
    id_of = {(r.trainer_id, r.starts_at): r.id for r in ids}
    enrollments, created = [], stored(now)
    for row, (members, held) in zip(sessions, rosters, strict=True):
        session_id = id_of[(row["trainer_id"], row["starts_at"])]
        marked_at = stored(row["ends_at"]) if held else None
        for staff_id in members:
            status = rng.choice(ATTENDANCE) if held else None
            enrollments.append((session_id, staff_id, created, status, marked_at))
    insert_rows(
        "enrollments", ("session_id", "staff_id", "created_at", "status", "marked_at"), enrollments
    )
    return len(sessions), len(enrollments)


DISTRICT_RATES = {"DB-MCH": 0.75}  # the district that pulls the province down
DEFAULT_RATE = 0.86
EXTERNAL_ISSUERS = (
    "Trung tâm Ngoại ngữ - Tin học Điện Biên",
    "Trường Đại học Tây Bắc",
    "Trường Cao đẳng Sư phạm Điện Biên",
)


def build_results(rng):
    """Scores for everyone who attended a held session (most pass)."""
    rows = db.session.execute(
        select(Enrollment.staff_id, TrainingSession.module_id, TrainingSession.ends_at)
        .join(TrainingSession, TrainingSession.id == Enrollment.session_id)
        .where(TrainingSession.status == "held", Enrollment.status.in_(("present", "late")))
    ).all()
    now = stored(datetime.now(UTC))
    results = [
        (staff_id, module_id, rng.choice(SCORES), stored(ends_at.date()), now)
        for staff_id, module_id, ends_at in rows
    ]
    insert_rows("results", ("staff_id", "module_id", "score", "assessed_on", "created_at"), results)
    return len(results)


SCORES = [35, 45, 55, 62, 68, 70, 74, 78, 80, 82, 85, 88, 90, 93, 96]


def build_certificates(districts, settings, rng):
    """Basic certificates for about 84.5 % of active staff (one district at 75 %), issued over
    four years: most external (imported), the recent ones ours with numbers; some advanced."""
    import secrets

    from ..certificates.designs import design_version_for
    from ..certificates.models import CertificateSequence
    from ..curriculum.models import CertificateLevel

    level_rows = db.session.scalars(select(CertificateLevel)).all()
    levels = {lv.code: lv.id for lv in level_rows}
    # Ours are issued with the design that applies, as issuing records it: on a new database
    # the province's (no unit has its own yet). Without it the first download of each looked
    # the design up and wrote it (a commit, and the coverage cache's version bumped).
    designs = {lv.code: getattr(design_version_for(None, lv), "id", None) for lv in level_rows}
    today = datetime.now(LOCAL).date()
    now = stored(datetime.now(UTC))
    rows, sequences = [], {}
    for district, _office in districts:
        rate = DISTRICT_RATES.get(district.code, DEFAULT_RATE)
        people = db.session.execute(
            select(Staff.id, Staff.full_name, OrgUnit.name)
            .join(OrgUnit, OrgUnit.id == Staff.org_unit_id)
            .where(OrgUnit.in_subtree(district.path), Staff.status == "active")
            .order_by(Staff.id)
        ).all()
        for staff_id, name, unit_name in people:
            if rng.random() >= rate:
                continue
            # earlier years weigh more: the province started years before this app
            issued = today - timedelta(days=int(rng.triangular(0, 4 * 365, 3 * 365)))
            level = "advanced" if rng.random() < 0.12 else "basic"
            if issued.year < today.year - 1:
                issuer = rng.choice(EXTERNAL_ISSUERS)
                number = f"{rng.randint(1, 9999):04d}/{issued.year}/CC-{staff_id}"
                rows.append(
                    (
                        number,
                        issuer,
                        issuer,
                        True,
                        None,
                        staff_id,
                        levels[level],
                        stored(issued),
                        name,
                        unit_name,
                        "valid",
                        now,
                        "",
                        "",
                        None,
                    )
                )
            else:
                seq = sequences.get(issued.year, 0) + 1
                sequences[issued.year] = seq
                number = f"{settings.prefix}-{issued.year}-{seq:06d}"
                rows.append(
                    (
                        number,
                        "",
                        settings.issuer_name,
                        False,
                        secrets.token_urlsafe(12),
                        staff_id,
                        levels[level],
                        stored(issued),
                        name,
                        unit_name,
                        "valid",
                        now,
                        settings.signatory_name,
                        settings.signatory_title,
                        designs[level],
                    )
                )
    insert_rows(
        "certificates",
        (
            "number",
            "issuer_key",
            "issuer",
            "external",
            "verification_code",
            "staff_id",
            "level_id",
            "issued_on",
            "printed_name",
            "printed_unit",
            "status",
            "created_at",
            "signatory_name",
            "signatory_title",
            "design_version_id",
        ),
        rows,
    )
    for year, last in sequences.items():
        db.session.add(CertificateSequence(prefix=settings.prefix, year=year, last=last))
    return len(rows)


def build_targets(root, focus):
    """Targets for the basic level: the province's this year and last year, and one of the
    demo accounts' unit (``focus``, in force this year) of its own."""
    from ..coverage.models import Target
    from ..curriculum.models import CertificateLevel

    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    year = datetime.now(LOCAL).year
    db.session.add(Target(org_unit_id=root.id, level_id=basic.id, year=year, percent=90))
    db.session.add(Target(org_unit_id=root.id, level_id=basic.id, year=year - 1, percent=85))
    db.session.add(Target(org_unit_id=focus.id, level_id=basic.id, year=year, percent=85))
