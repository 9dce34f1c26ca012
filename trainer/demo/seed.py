"""A believable demo province (Điện Biên) with Vietnamese names, built with bulk inserts."""

import csv
import random
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from ..accounts.services import create_user
from ..certificates.services import IssueSettings
from ..coverage.cache import bump as bump_coverage_version
from ..errors import Conflict
from ..extensions import db
from ..org.history import add_missing_periods
from ..org.models import OrgUnit, Staff
from ..org.services import analyze_roster, key_words
from ..org.text import fold
from .activity import (
    LOCAL,
    build_certificates,
    build_results,
    build_sessions,
    build_targets,
)
from .bulk_insert import insert_rows, stored

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

# Điện Biên's real communes, wards and townships until 30/06/2025 (and the 45 from 01/07/2025),
# generated once by tools/dien_bien_units.py; the demo's tree is the one before the reform.
UNITS_CSV = Path(__file__).parent / "data" / "dien_bien_units.csv"
LAST_DAY_OF_DISTRICTS = "2025-06-30"


def real_communes():
    """{district code: [(commune code, name, short name)]} of the units until 30/06/2025."""
    communes = {}
    with UNITS_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] == "commune" and row["valid_to"] == LAST_DAY_OF_DISTRICTS:
                short = row["name"].split(" ", 1)[1]
                for prefix in ("trấn ",):  # "Thị trấn Mường Chà" → "Mường Chà"
                    short = short.removeprefix(prefix)
                communes.setdefault(row["parent_code"], []).append(
                    (row["code"], row["name"], short)
                )
    return communes


SCHOOL_KINDS = [
    ("MN", "Trường Mầm non", "mam_non"),
    ("TH", "Trường Tiểu học", "tieu_hoc"),
    ("THCS", "Trường THCS", "thcs"),
    ("PTDTBT", "Trường PTDTBT TH&THCS", "lien_cap"),
]

# Shares of the province's people (Thái ~38 %, Mông ~35 %, Kinh ~18 %, then Khơ Mú, Dao …),
# with the family names usual in each group; about 2 % of records leave ethnicity empty.
ETHNICITIES = [
    ("Thái", 37.5, ["Lò", "Quàng", "Lường", "Cà", "Tòng", "Điêu", "Lò", "Quàng"]),
    ("Mông", 34.5, ["Giàng", "Sùng", "Vàng", "Thào", "Mùa", "Lầu", "Ly", "Hờ"]),
    (
        "Kinh",
        18.0,
        ["Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hà"],
    ),
    ("Khơ Mú", 3.3, ["Lò", "Quàng", "Cà", "Lường"]),
    ("Dao", 1.4, ["Lý", "Đặng", "Triệu", "Phùng"]),
    ("Hà Nhì", 0.7, ["Lý", "Chu", "Pờ", "Sìn"]),
    ("Lào", 0.6, ["Lò", "Vì", "Lường"]),
    ("Kháng", 0.5, ["Lò", "Quàng"]),
    ("Lự", 0.4, ["Lò", "Tao"]),
    ("Hoa", 0.3, ["Lý", "Trương", "Hoàng"]),
    ("Phù Lá", 0.3, ["Ly", "Vàng"]),
    ("Si La", 0.1, ["Hù", "Lò"]),
    ("Cống", 0.1, ["Lò", "Pạc"]),
    (None, 2.3, ["Nguyễn", "Lò", "Giàng", "Quàng"]),
]
PROVINCE_NUMBER = 11  # Điện Biên's code in the statistics office's list: the demo's ids start so
MIDDLE = {
    "male": ["Văn", "Văn", "Đức", "Minh", "Quang", "Tiến", "A", "Xuân", "Hữu", "Công"],
    "female": ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Kim", "Minh"],
}
GIVEN = {
    "male": [
        "Thắng",
        "Đức",
        "Hùng",
        "Dũng",
        "Tuấn",
        "Cường",
        "Hải",
        "Khánh",
        "Long",
        "Sơn",
        "Thành",
        "Trung",
        "Phong",
        "Quyết",
        "Chiến",
        "Sếnh",
        "Páo",
        "Chử",
        "Dế",
        "Lả",
    ],
    "female": [
        "Hương",
        "Lan",
        "Hoa",
        "Mai",
        "Hằng",
        "Nga",
        "Thủy",
        "Yến",
        "Nhung",
        "Ngọc",
        "Trang",
        "Huyền",
        "Thơ",
        "Xuân",
        "Hiền",
        "Dung",
        "Chiêm",
        "Ánh",
        "Mỷ",
        "Dợ",
    ],
}

SCALES = {
    # districts, communes per district, (min, max) schools per commune, staff per school
    # "communes": None = the district's real communes; a number past them adds namesakes
    # ("Sa Lông 2"), which only the synthetic large scale needs
    "small": {"districts": SMALL_DISTRICTS, "communes": 3, "schools": (2, 2), "staff": 25},
    "province": {"districts": None, "communes": None, "schools": (3, 4), "staff": 34},
    "large": {"districts": None, "communes": 160, "schools": (2, 4), "staff": 33},
}


def code_part(name):
    """Upper-case ASCII code fragment of a Vietnamese name: "Sa Lông" → "SALONG"."""
    return "".join(ch for ch in fold(name).upper() if ch.isalnum())


def district_communes(dcode, wanted, real, rng):
    """(code, name, short name) of the communes the demo builds in district ``dcode``."""
    communes = real[f"DB-{dcode}"]
    if wanted is None:
        return communes
    if wanted <= len(communes):
        return rng.sample(communes, wanted)
    extra = [
        (f"{code}{n}", f"{name} {n}", f"{short} {n}")  # namesakes of the large scale
        for n in range(2, wanted)
        for code, name, short in communes
    ]
    return communes + extra[: wanted - len(communes)]


def build_units(scale, rng):
    """Create the org tree; return (root, districts, schools) with paths set."""
    spec, real = SCALES[scale], real_communes()
    root = OrgUnit(code="DB", name="Tỉnh Điện Biên", kind="province")
    units, schools, districts = [root], [], []
    chosen = [d for d in DISTRICTS if spec["districts"] is None or d[0] in spec["districts"]]
    for dcode, dname in chosen:
        district = OrgUnit(code=f"DB-{dcode}", name=dname, kind="district", parent=root)
        office = OrgUnit(
            code=f"DB-{dcode}-PGD",
            name=f"Phòng GD&ĐT {dname.split(' ', 1)[1]}",
            kind="department",
            parent=district,
        )
        # upper-secondary schools answer to the province; one per district in the demo
        upper = OrgUnit(
            code=f"DB-{dcode}-THPT",
            name=f"Trường THPT {dname.split(' ', 1)[1]}",
            kind="school",
            parent=district,
            school_level="thpt",
            disadvantaged=False,
        )
        units += [district, office, upper]
        schools.append(upper)
        districts.append((district, office))
        for ccode, cname, short in district_communes(dcode, spec["communes"], real, rng):
            commune = OrgUnit(code=ccode, name=cname, kind="commune", parent=district)
            units.append(commune)
            # schools of the mountain communes (not wards or towns, nor the city's) are mostly
            # in extremely difficult areas
            mountain = cname.startswith("Xã ") and dcode != "DBP"
            for skind, sname, level in rng.sample(SCHOOL_KINDS, rng.randint(*spec["schools"])):
                school = OrgUnit(
                    code=f"{commune.code}-{skind}",
                    name=f"{sname} {short}",
                    kind="school",
                    parent=commune,
                    school_level=level,
                    disadvantaged=mountain and rng.random() < 0.85,
                )
                units.append(school)
                schools.append(school)
    for number, school in enumerate(schools, start=1):
        school.moet_id = f"{PROVINCE_NUMBER}{number:06d}"
    db.session.add_all(units)
    db.session.flush()
    for unit in units:  # parents come before their children in ``units``
        unit.set_path()
    db.session.flush()
    return root, districts, schools


def person(rng):
    """A random (full name, gender, ethnicity): the family name fits the ethnic group."""
    gender = "female" if rng.random() < 0.68 else "male"
    ethnicity, _share, families = rng.choices(ETHNICITIES, weights=[e[1] for e in ETHNICITIES])[0]
    name = f"{rng.choice(families)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
    return name, gender, ethnicity


def staff_row(number, unit_id, position, rng):
    """One staff row ready for a bulk insert."""
    name, gender, ethnicity = person(rng)
    code = f"DB{number:06d}"
    birth = date(1965, 1, 1) + timedelta(days=rng.randrange(35 * 365))
    email = None
    if rng.random() < 0.45:
        email = f"{fold(name).replace(' ', '.')}.{number}@dienbien.edu.vn"
    return {
        "staff_code": code,
        "full_name": name,
        "search_key": fold(name),
        "org_unit_id": unit_id,
        "position": position,
        "gender": gender,
        "birth_date": birth,
        "email": email,
        "phone": f"09{rng.randrange(10**8):08d}",
        "status": "active" if rng.random() > 0.015 else "inactive",
        "ethnicity": ethnicity,
        "moet_id": f"{PROVINCE_NUMBER}{number:08d}",  # Mã định danh of the sector's database
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
            position = (
                "it_teacher"
                if i == 0 and rng.random() < 0.66
                else rng.choices(["teacher", "manager", "staff"], weights=[86, 5, 9])[0]
            )
            rows.append(staff_row(number, school.id, position, rng))
    now = stored(datetime.now(UTC))
    columns = [*rows[0], "created_at", "updated_at"]
    insert_rows("staff", columns, [(*(stored(v) for v in r.values()), now, now) for r in rows])
    words = [
        (word, staff_id)
        for staff_id, key in db.session.execute(select(Staff.id, Staff.search_key))
        for word in key_words(key)
    ]
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
    create_user(
        email=manager.email,
        password=DEMO_PASSWORD,
        role="manager",
        org_code=district.code,
        staff_code=manager.staff_code,
    )
    create_user(
        email=trainer.email,
        password=DEMO_PASSWORD,
        role="trainer",
        org_code=district.code,
        staff_code=trainer.staff_code,
    )
    create_user(email=None, password=DEMO_PASSWORD, role="teacher", staff_code=teacher.staff_code)


def demo_sign_ins():
    """(role, sign-in) of the first user of each role: what ``make run`` prints."""
    from ..accounts.models import ROLES, User

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
    from ..accounts.models import User
    from ..curriculum.models import Module
    from ..training.services import create_session, enroll

    trainer = db.session.scalar(select(User).where(User.role == "trainer")).staff
    teacher = db.session.scalar(select(User).where(User.role == "teacher")).staff
    classmates = db.session.scalars(
        select(Staff)
        .where(
            Staff.org_unit_id == teacher.org_unit_id,
            Staff.status == "active",
            Staff.id.not_in([teacher.id, trainer.id]),
        )
        .limit(11)
    ).all()
    # one running now (generated sessions never fall on today) and one a week from today
    now = datetime.now(LOCAL).replace(minute=0, second=0, microsecond=0)
    next_week = datetime.combine(now.date() + timedelta(days=7), time(7, 30), tzinfo=LOCAL)
    for code, starts_at, hours in (("IU03", now - timedelta(hours=1), 4), ("IU04", next_week, 3)):
        module = db.session.scalar(select(Module).where(Module.code == code))
        session = create_session(
            module=module,
            title=module.name_vi,
            trainer=trainer,
            venue=teacher.org_unit,
            location="Phòng tin học",
            capacity=30,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
        )
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
