"""A believable demo province (Điện Biên) with Vietnamese names, built with bulk inserts."""

import random
import time as clock
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from .accounts.services import create_user
from .bulk import insert_rows, stored
from .certificates.services import IssueSettings
from .coverage.cache import bump as bump_coverage_version
from .errors import Conflict
from .extensions import db
from .org.history import add_missing_periods
from .org.models import OrgUnit, Staff
from .org.services import analyze_roster, key_words
from .org.text import fold
from .seed_activity import (
    LOCAL,
    build_certificates,
    build_results,
    build_sessions,
    build_targets,
)

DEMO_PASSWORD = "trainer-demo-2026"

DISTRICTS = [
    ("DBP", "Thành phố Điện Biên Phủ"),
    ("MLA", "Thị xã Mường Lay"),
    ("DBI", "Huyện Điện Biên"),
    ("DBD", "Huyện Điện Biên Đông"),
    ("MAN", "Huyện Mường Ảng"),
    ("MCH", "Huyện Mường Chà"),
    ("MNH", "Huyện Mường Nhé"),
    ("NPO", "Huyện Nậm Pồ"),
    ("TCH", "Huyện Tủa Chùa"),
    ("TGI", "Huyện Tuần Giáo"),
]
SMALL_DISTRICTS = ("MCH", "DBD")

COMMUNES = [
    "Sa Lông", "Sá Tổng", "Mường Tùng", "Huổi Lèng", "Pa Ham", "Na Sang", "Ma Thì Hồ",
    "Huổi Mí", "Nậm Nèn", "Mường Mươn", "Hừa Ngài", "Xá Nhè", "Mường Phăng", "Thanh Nưa",
    "Na Tông", "Pú Nhi", "Phì Nhừ", "Keo Lôm", "Luân Giới", "Tìa Dình", "Ẳng Nưa",
    "Ẳng Tở", "Búng Lao", "Xuân Lao", "Chà Cang", "Nà Khoa", "Nà Hỳ", "Si Pa Phìn",
    "Chung Chải", "Leng Su Sìn", "Sín Chải", "Tả Phìn", "Mường Báng", "Sính Phình",
    "Quài Cang", "Chiềng Sinh", "Mường Thín", "Tỏa Tình", "Nà Tấu", "Mường Pồn",
    "Noong Hẹt", "Thanh Xương", "Sam Mứn", "Pom Lót", "Hẹ Muông", "Na Ư", "Mường Nhà",
    "Lay Nưa", "Sông Đà", "Na Lay", "Tênh Phông", "Pú Xi", "Mường Khong", "Rạng Đông",
]
SCHOOL_KINDS = [
    ("MN", "Trường Mầm non"),
    ("TH", "Trường Tiểu học"),
    ("THCS", "Trường THCS"),
    ("PTDTBT", "Trường PTDTBT TH&THCS"),
]

FAMILY = [
    ("Nguyễn", 14), ("Lò", 10), ("Quàng", 7), ("Lường", 6), ("Cà", 5), ("Tòng", 4),
    ("Điêu", 3), ("Giàng", 6), ("Sùng", 5), ("Vàng", 5), ("Thào", 4), ("Mùa", 3),
    ("Trần", 6), ("Lê", 5), ("Phạm", 4), ("Hoàng", 4), ("Vũ", 3), ("Đặng", 3),
    ("Bùi", 3), ("Đỗ", 2), ("Lý", 2), ("Hà", 3), ("Lầu", 2), ("Ly", 2),
]
MIDDLE = {
    "male": ["Văn", "Văn", "Đức", "Minh", "Quang", "Tiến", "A", "Xuân", "Hữu", "Công"],
    "female": ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Kim", "Minh"],
}
GIVEN = {
    "male": ["Thắng", "Đức", "Hùng", "Dũng", "Tuấn", "Cường", "Hải", "Khánh", "Long", "Sơn",
             "Thành", "Trung", "Phong", "Quyết", "Chiến", "Sếnh", "Páo", "Chử", "Dế", "Lả"],
    "female": ["Hương", "Lan", "Hoa", "Mai", "Hằng", "Nga", "Thủy", "Yến", "Nhung", "Ngọc",
               "Trang", "Huyền", "Thơ", "Xuân", "Hiền", "Dung", "Chiêm", "Ánh", "Mỷ", "Dợ"],
}

SCALES = {
    # districts, communes per district, (min, max) schools per commune, staff per school
    "small": {"districts": SMALL_DISTRICTS, "communes": 3, "schools": (2, 2), "staff": 25},
    "province": {"districts": None, "communes": 16, "schools": (2, 4), "staff": 33},
    "large": {"districts": None, "communes": 160, "schools": (2, 4), "staff": 33},
}


def code_part(name):
    """Upper-case ASCII code fragment of a Vietnamese name: "Sa Lông" → "SALONG"."""
    return "".join(ch for ch in fold(name).upper() if ch.isalnum())


def build_units(scale, rng):
    """Create the org tree; return (root, districts, schools) with paths set."""
    spec = SCALES[scale]
    root = OrgUnit(code="DB", name="Tỉnh Điện Biên", kind="province")
    units, schools, districts = [root], [], []
    chosen = [d for d in DISTRICTS if spec["districts"] is None or d[0] in spec["districts"]]
    for dcode, dname in chosen:
        district = OrgUnit(code=f"DB-{dcode}", name=dname, kind="district", parent=root)
        office = OrgUnit(code=f"DB-{dcode}-PGD", name=f"Phòng GD&ĐT {dname.split(' ', 1)[1]}",
                         kind="department", parent=district)
        units += [district, office]
        districts.append((district, office))
        names = rng.sample(COMMUNES, min(spec["communes"], len(COMMUNES)))
        extra = spec["communes"] - len(names)  # past the list of names: numbered namesakes
        names += [f"{rng.choice(COMMUNES)} {i}" for i in range(2, extra + 2)]
        for cname in names:
            commune = OrgUnit(code=f"DB-{dcode}-{code_part(cname)}", name=f"Xã {cname}",
                              kind="commune", parent=district)
            units.append(commune)
            for skind, sname in rng.sample(SCHOOL_KINDS, rng.randint(*spec["schools"])):
                school = OrgUnit(code=f"{commune.code}-{skind}", name=f"{sname} {cname}",
                                 kind="school", parent=commune)
                units.append(school)
                schools.append(school)
    db.session.add_all(units)
    db.session.flush()
    for unit in units:  # parents come before their children in ``units``
        unit.set_path()
    db.session.flush()
    return root, districts, schools


def person(rng):
    """A random (full name, gender) pair."""
    gender = "female" if rng.random() < 0.68 else "male"
    family = rng.choices([f for f, _ in FAMILY], weights=[w for _, w in FAMILY])[0]
    return f"{family} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}", gender


def staff_row(number, unit_id, position, rng):
    """One staff row ready for a bulk insert."""
    name, gender = person(rng)
    code = f"DB{number:06d}"
    birth = date(1965, 1, 1) + timedelta(days=rng.randrange(35 * 365))
    email = None
    if rng.random() < 0.45:
        email = f"{fold(name).replace(' ', '.')}.{number}@dienbien.edu.vn"
    return {
        "staff_code": code, "full_name": name, "search_key": fold(name), "org_unit_id": unit_id,
        "position": position, "gender": gender, "birth_date": birth, "email": email,
        "phone": f"09{rng.randrange(10**8):08d}", "status": "active" if rng.random() > 0.015
        else "inactive",
    }


def build_staff(scale, districts, schools, rng):
    """Bulk-insert the staff of every school and district office; return the count."""
    per_school = SCALES[scale]["staff"]
    rows, number = [], 0
    for _district, office in districts:
        for _ in range(4):
            number += 1
            rows.append(staff_row(number, office.id, "manager", rng))
    for school in schools:
        size = max(6, int(rng.gauss(per_school, per_school * 0.25)))
        for i in range(size):
            number += 1
            position = "it_teacher" if i == 0 and rng.random() < 0.66 else rng.choices(
                ["teacher", "manager", "staff"], weights=[86, 5, 9])[0]
            rows.append(staff_row(number, school.id, position, rng))
    now = stored(datetime.now(UTC))
    columns = [*rows[0], "created_at", "updated_at"]
    insert_rows("staff", columns, [(*(stored(v) for v in r.values()), now, now) for r in rows])
    words = [(word, staff_id) for staff_id, key in
             db.session.execute(select(Staff.id, Staff.search_key))
             for word in key_words(key)]
    insert_rows("staff_name_words", ("word", "staff_id"), words)
    analyze_roster()
    return len(rows)


def pick_staff(unit, position):
    """The first active staff member of ``position`` in ``unit``'s subtree."""
    return db.session.scalar(
        select(Staff)
        .join(OrgUnit, Staff.org_unit_id == OrgUnit.id)
        .where(OrgUnit.in_subtree(unit.path), Staff.position == position, Staff.status == "active")
        .order_by(Staff.id)
    )


def build_accounts(districts):
    """One demo account per role, all in the first district (the teacher signs in by staff code)."""
    district, office = districts[0]
    manager = pick_staff(office, "manager")
    trainer = pick_staff(district, "it_teacher")
    teacher = pick_staff(district, "teacher")
    manager.email, trainer.email = "manager@demo.trainer.vn", "trainer@demo.trainer.vn"
    db.session.flush()
    create_user(email="admin@demo.trainer.vn", password=DEMO_PASSWORD, role="admin", org_code="DB")
    create_user(email=manager.email, password=DEMO_PASSWORD, role="manager",
                org_code=district.code, staff_code=manager.staff_code)
    create_user(email=trainer.email, password=DEMO_PASSWORD, role="trainer",
                org_code=district.code, staff_code=trainer.staff_code)
    create_user(email=None, password=DEMO_PASSWORD, role="teacher",
                staff_code=teacher.staff_code)


def demo_sign_ins():
    """(role, sign-in) of the first user of each role: what ``make run`` prints."""
    from .accounts.models import ROLES, User

    result = []
    for role in ROLES:
        user = db.session.scalar(select(User).where(User.role == role).order_by(User.id))
        if user is not None:
            login = user.email or user.staff.staff_code
            name = f" ({user.staff.full_name})" if user.staff else ""
            result.append((role, login + name))
    return result


def build_demo_day(districts):
    """A session running today, led by the demo trainer with the demo teacher on its roster,
    and one next week: what the demo accounts see first."""
    from .accounts.models import User
    from .certificates.models import Module
    from .training.services import create_session, enroll

    trainer = db.session.scalar(select(User).where(User.role == "trainer")).staff
    teacher = db.session.scalar(select(User).where(User.role == "teacher")).staff
    classmates = db.session.scalars(
        select(Staff).where(Staff.org_unit_id == teacher.org_unit_id, Staff.status == "active",
                            Staff.id.not_in([teacher.id, trainer.id])).limit(11)).all()
    # one running now (generated sessions never fall on today) and one a week from today
    now = datetime.now(LOCAL).replace(minute=0, second=0, microsecond=0)
    next_week = datetime.combine(now.date() + timedelta(days=7), time(7, 30), tzinfo=LOCAL)
    for code, starts_at, hours in (("IU03", now - timedelta(hours=1), 4), ("IU04", next_week, 3)):
        module = db.session.scalar(select(Module).where(Module.code == code))
        session = create_session(
            module=module, title=module.name_vi, trainer=trainer, venue=teacher.org_unit,
            location="Phòng tin học", capacity=30, starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours))
        enroll(session, [teacher, *classmates])


def database_is_empty():
    """True when no org unit exists yet."""
    return db.session.scalar(select(OrgUnit.id).limit(1)) is None


def seed_demo_data(scale="small", *, random_seed=2026, settings=None):
    """Fill an empty database with a demo province; return counts, timing and demo sign-ins."""
    if not database_is_empty():
        raise Conflict("database_not_empty")
    started = clock.perf_counter()
    rng = random.Random(random_seed)
    root, districts, schools = build_units(scale, rng)
    staff_count = build_staff(scale, districts, schools, rng)
    add_missing_periods()  # the raw bulk insert wrote no history: one open period each
    build_accounts(districts)
    sessions, enrollments = build_sessions(scale, districts, rng)
    build_demo_day(districts)
    build_results(rng)
    certificates = build_certificates(districts, settings or IssueSettings(), rng)
    build_targets(root, districts)
    bump_coverage_version()
    analyze_roster()  # statistics of the finished data, for the query planner
    db.session.flush()
    units = db.session.scalar(select(db.func.count()).select_from(OrgUnit))
    return {
        "root": root.code,
        "units": units,
        "staff": staff_count,
        "sessions": sessions,
        "enrollments": enrollments,
        "certificates": certificates,
        "accounts": demo_sign_ins(),
        "seconds": clock.perf_counter() - started,
    }
