"""``seed-demo --scale national``: the country's 34 provinces (since 1 July 2025) under one root,
about 1.6 million staff in their communes' schools, with their basic certificates.

Built for speed with bounded memory: ids are assigned here, so nothing is read back; rows are
generated and written one province at a time (about 47,000 staff, their search words and
certificates), with COPY on PostgreSQL and executemany batches on SQLite. Units and staff get
one open period each (no history: the national demo is today's country). No sessions.
"""

import random
import time as clock
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text

from ..accounts.services import create_user
from ..coverage.cache import bump as bump_coverage_version
from ..curriculum.models import CertificateLevel
from ..errors import Conflict
from ..extensions import db
from ..org.history import add_missing_periods
from ..org.models import OrgUnit, Staff
from ..org.services import analyze_roster, key_words
from ..org.text import fold, name_sort_key
from ..pgcopy import copy_rows
from ..timeutil import local_today
from .bulk_insert import insert_rows, stored
from .seed import DEMO_PASSWORD, SCHOOL_KINDS, database_is_empty, demo_sign_ins, person

ROOT_CODE, ROOT_NAME = "VN", "Việt Nam"
# the 34 provinces and centrally-run cities from 1 July 2025 (Resolution 202/2025/QH15), with
# the demo's codes (Điện Biên keeps DB)
PROVINCES = [
    ("HN", "Thành phố Hà Nội"),
    ("HUE", "Thành phố Huế"),
    ("LCH", "Tỉnh Lai Châu"),
    ("DB", "Tỉnh Điện Biên"),
    ("SL", "Tỉnh Sơn La"),
    ("LS", "Tỉnh Lạng Sơn"),
    ("QNI", "Tỉnh Quảng Ninh"),
    ("TH", "Tỉnh Thanh Hóa"),
    ("NA", "Tỉnh Nghệ An"),
    ("HT", "Tỉnh Hà Tĩnh"),
    ("CB", "Tỉnh Cao Bằng"),
    ("TQ", "Tỉnh Tuyên Quang"),
    ("LCA", "Tỉnh Lào Cai"),
    ("TN", "Tỉnh Thái Nguyên"),
    ("PT", "Tỉnh Phú Thọ"),
    ("BN", "Tỉnh Bắc Ninh"),
    ("HY", "Tỉnh Hưng Yên"),
    ("HP", "Thành phố Hải Phòng"),
    ("NB", "Tỉnh Ninh Bình"),
    ("QT", "Tỉnh Quảng Trị"),
    ("DN", "Thành phố Đà Nẵng"),
    ("QNG", "Tỉnh Quảng Ngãi"),
    ("GL", "Tỉnh Gia Lai"),
    ("KH", "Tỉnh Khánh Hòa"),
    ("LD", "Tỉnh Lâm Đồng"),
    ("DL", "Tỉnh Đắk Lắk"),
    ("HCM", "Thành phố Hồ Chí Minh"),
    ("DNA", "Tỉnh Đồng Nai"),
    ("TNI", "Tỉnh Tây Ninh"),
    ("CT", "Thành phố Cần Thơ"),
    ("VL", "Tỉnh Vĩnh Long"),
    ("DT", "Tỉnh Đồng Tháp"),
    ("CM", "Tỉnh Cà Mau"),
    ("AG", "Tỉnh An Giang"),
]
# per province, per commune, per school: 34 × 98 × 14 × ≈34.5 ≈ 1.6 million staff
SIZES = {"provinces": 34, "communes": 98, "schools": 14, "staff": 34}
CERTIFIED_SHARE = 0.85
BIRTH_START = date(1965, 1, 1)

UNIT_COLUMNS = (
    "id",
    "code",
    "name",
    "kind",
    "parent_id",
    "path",
    "depth",
    "moet_id",
    "school_level",
    "disadvantaged",
    "created_at",
)
STAFF_COLUMNS = (
    "id",
    "staff_code",
    "full_name",
    "search_key",
    "sort_key",
    "org_unit_id",
    "position",
    "gender",
    "birth_date",
    "email",
    "phone",
    "status",
    "ethnicity",
    "moet_id",
    "created_at",
    "updated_at",
)
CERTIFICATE_COLUMNS = (
    "number",
    "issuer_key",
    "issuer",
    "external",
    "staff_id",
    "level_id",
    "issued_on",
    "printed_name",
    "printed_unit",
    "status",
    "created_at",
    "signatory_name",
    "signatory_title",
)


def write_rows(table, columns, rows):
    """Append ``rows`` (tuples in the order of ``columns``) to ``table``: COPY on PostgreSQL,
    executemany on SQLite (values converted as the ORM stores them there)."""
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        copy_rows(conn, table, columns, rows)
    else:
        insert_rows(table, columns, [tuple(stored(v) for v in row) for row in rows])


def set_sequences(tables):
    """After explicit ids on PostgreSQL, the id sequences continue past them."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # nosec B608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def people_pool(rng, size=4096):
    """Names drawn once with their folded keys and search words (about 70 µs each): the 1.6
    million rows pick from them, which keeps the generator at a few µs per person."""
    pool = []
    for _ in range(size):
        name, gender, ethnicity = person(rng)
        key = fold(name)
        pool.append((name, key, name_sort_key(name), gender, ethnicity, key_words(key)))
    return pool


def staff_rows(staff_id, school, position, pnumber, pool, rng, now):
    """(staff row in STAFF_COLUMNS order, its search words, its status)."""
    name, key, sort_key, gender, ethnicity, words = rng.choice(pool)
    status = "active" if rng.random() > 0.015 else "inactive"
    row = (
        staff_id,
        f"VN{staff_id:07d}",
        name,
        key,
        sort_key,
        school,
        position,
        gender,
        BIRTH_START + timedelta(days=rng.randrange(35 * 365)),
        f"{key.replace(' ', '.')}.{staff_id}@moet.edu.vn" if rng.random() < 0.45 else None,
        f"09{rng.randrange(10**8):08d}",
        status,
        ethnicity,
        f"{pnumber:02d}{staff_id:08d}",  # Mã định danh: the province's number first
        now,
        now,
    )
    return row, [(word, staff_id) for word in words], status


def next_id(model):
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def seed_national(*, sizes=None, random_seed=2026):
    """Fill an empty database with the country; return counts, timing and the sign-ins."""
    if not database_is_empty():
        raise Conflict("database_not_empty")
    sizes = {**SIZES, **(sizes or {})}
    started = clock.perf_counter()
    rng = random.Random(random_seed)
    now = datetime.now(UTC)
    today = local_today()
    pool = people_pool(rng)
    basic = db.session.scalar(select(CertificateLevel.id).where(CertificateLevel.code == "basic"))
    unit_id, staff_id = next_id(OrgUnit), next_id(Staff)
    root_id = unit_id
    write_rows(
        "org_units",
        UNIT_COLUMNS,
        [(root_id, ROOT_CODE, ROOT_NAME, "other", None, f"/{root_id}/", 0, None, None, None, now)],
    )
    unit_id += 1
    totals = {"units": 1, "staff": 0, "certificates": 0}
    school_number = 0
    for pnumber, (pcode, pname) in enumerate(PROVINCES[: sizes["provinces"]], start=1):
        province_id, province_path = unit_id, f"/{root_id}/{unit_id}/"
        units = [
            (province_id, pcode, pname, "province", root_id, province_path, 1, None, None, None)
        ]
        unit_id += 1
        schools = []
        for c in range(1, sizes["communes"] + 1):
            commune_id, commune_path = unit_id, f"{province_path}{unit_id}/"
            units.append(
                (commune_id, f"{pcode}-X{c:03d}", f"Xã {c} ({pname})", "commune")
                + (province_id, commune_path, 2, None, None, None)
            )
            unit_id += 1
            mountain = rng.random() < 0.4
            for s in range(1, sizes["schools"] + 1):
                skind, sname, level = SCHOOL_KINDS[s % len(SCHOOL_KINDS)]
                school_number += 1
                units.append(
                    (unit_id, f"{pcode}-X{c:03d}-{skind}{s}", f"{sname} số {s} xã {c}", "school")
                    + (commune_id, f"{commune_path}{unit_id}/", 3, f"N{school_number:08d}")
                    + (level, mountain and rng.random() < 0.8)
                )
                schools.append(unit_id)
                unit_id += 1
        write_rows("org_units", UNIT_COLUMNS, [(*u, now) for u in units])
        totals["units"] += len(units)
        staff, words, certificates = [], [], []
        for school in schools:
            for i in range(max(6, int(rng.gauss(sizes["staff"], sizes["staff"] * 0.25)))):
                position = "manager" if i == 1 else "it_teacher" if i == 0 else "teacher"
                row, row_words, status = staff_rows(
                    staff_id, school, position, pnumber, pool, rng, now
                )
                staff.append(row)
                words += row_words
                if status == "active" and rng.random() < CERTIFIED_SHARE:
                    issued = today - timedelta(days=rng.randrange(4 * 365))
                    number = f"{rng.randrange(1, 10000):04d}/{issued.year}/CC-{staff_id}"
                    certificates.append(
                        (number, "so-gddt", "Sở GD&ĐT", True, staff_id, basic, issued)
                        + (row[2], pname, "valid", now, "", "")
                    )
                staff_id += 1
        write_rows("staff", STAFF_COLUMNS, staff)
        write_rows("staff_name_words", ("word", "staff_id"), words)
        write_rows("certificates", CERTIFICATE_COLUMNS, certificates)
        totals["staff"] += len(staff)
        totals["certificates"] += len(certificates)
    set_sequences(["org_units", "staff"])
    add_missing_periods()  # one open period for every unit and person
    create_user(
        email="admin@demo.trainer.vn", password=DEMO_PASSWORD, role="admin", org_code=ROOT_CODE
    )
    bump_coverage_version()
    analyze_roster()
    db.session.flush()
    return {
        "root": ROOT_CODE,
        **totals,
        "sessions": 0,
        "enrollments": 0,
        "reform": None,  # today's country: no reform to apply
        "accounts": demo_sign_ins(),
        "seconds": clock.perf_counter() - started,
    }
