"""Imports: every bad row reported, nothing written on any error, re-runs change nothing."""

import io
import unicodedata
from datetime import date

import pytest
from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy import func, select

from trainer.audit import AuditEntry
from trainer.certificates.models import Certificate
from trainer.coverage.models import Target
from trainer.imports import importer_for
from trainer.imports.base import run_import
from trainer.org.models import OrgUnit, Staff


@pytest.fixture(autouse=True)
def english(db):
    """The reasons are checked in English here; the Vietnamese ones in the CLI test."""
    with force_locale("en"):
        yield


STAFF_HEADER = "staff_code,full_name,org_code,position,gender,birth_date,email,phone,status\n"


def csv_bytes(text, bom=False):
    data = text.encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def do_import(kind, data, filename="file.csv", dry_run=False):
    return run_import(importer_for(kind), filename, data, dry_run=dry_run)


def errors_of(report):
    return [(e.row, e.column, str(e.reason)) for e in report.errors]


def snapshot(db):
    """Everything an import could touch, to compare before and after."""
    return {
        model.__tablename__: sorted(
            tuple(str(v) for v in row) for row in db.session.execute(select(model.__table__))
        )
        for model in (OrgUnit, Staff, Certificate, Target)
    }


def test_orgunits_import_builds_the_tree(db):
    report = do_import(
        "orgunits",
        csv_bytes(
            "code,name,kind,parent_code\n"
            "DB-MCH-SALONG,Trường Tiểu học Sa Lông,school,DB-MCH\n"  # child before its parent
            "DB,Tỉnh Điện Biên,province,\n"
            "DB-MCH,Huyện Mường Chà,huyện,DB\n"
        ),
    )
    assert report.ok and report.written and report.created == 3
    db.session.commit()
    school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB-MCH-SALONG"))
    assert school.parent.code == "DB-MCH" and school.parent.parent.code == "DB"
    assert school.path == f"/{school.parent.parent.id}/{school.parent.id}/{school.id}/"
    assert school.depth == 2 and school.parent.kind == "district"


def test_reparenting_moves_the_subtree_paths(db, tree):
    report = do_import(
        "orgunits", csv_bytes("code,name,kind,parent_code\nDB-A,Huyện Mường Chà,district,DB-B\n")
    )
    assert report.ok and report.updated == 1
    db.session.commit()
    school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB-A-S1"))
    assert school.path.startswith(tree["DB-B"].path) and school.depth == 3


@pytest.mark.parametrize(
    "rows, expected",
    [
        ("X1,,school,DB\n", (2, "name", "required value missing")),
        ("X1,Tên,school,NOPE\n", (2, "parent_code", "unknown parent code NOPE")),
        ("X1,Tên,planet,DB\n", (2, "kind", "unknown kind")),
        (
            "X1,Tên,school,DB\nX1,Tên,school,DB\n",
            (3, "code", "duplicate in this file (first at row 2)"),
        ),
        ("Mã sai,Tên,school,DB\n", (2, "code", "a code uses letters")),
        ("X1,A,school,X2\nX2,B,school,X1\n", (2, "parent_code", "cycle")),
        # an existing unit put under its own child
        ("DB,Tỉnh,province,DB-A-S1\n", (2, "parent_code", "cycle")),
    ],
)
def test_orgunit_rejections(db, tree, rows, expected):
    before = snapshot(db)
    report = do_import("orgunits", csv_bytes("code,name,kind,parent_code\n" + rows))
    assert not report.ok and not report.written
    row, column, reason = expected
    assert any(r == row and c == column and reason in text for r, c, text in errors_of(report)), (
        errors_of(report)
    )
    db.session.rollback()
    assert snapshot(db) == before


def test_missing_column_is_reported_on_the_header_row(db):
    report = do_import("staff", csv_bytes("staff_code,full_name,position\nT1,An,teacher\n"))
    assert errors_of(report) == [(1, "org_code", "column missing from the header row")]


def test_staff_import_with_bom_nfd_and_vietnamese_labels(db, tree):
    name = unicodedata.normalize("NFD", "Nguyễn   Tiến Thắng")
    data = csv_bytes(
        "Full_Name , STAFF_CODE,org_code,position,gender,birth_date,email,phone,extra\n"
        f"{name},T001,DB-A-S1,giáo viên tin học,Nam,31/12/1985,Thang@Example.vn,0912 345 678,x\n"
        "Lò Thị Hương,T002,DB-A-S2,Giáo viên,Nữ,1990-02-28,,,\n",
        bom=True,
    )
    report = do_import("staff", data)
    assert report.ok, errors_of(report)
    db.session.commit()
    thang = db.session.scalar(select(Staff).where(Staff.staff_code == "T001"))
    assert thang.full_name == "Nguyễn Tiến Thắng"
    assert unicodedata.is_normalized("NFC", thang.full_name)
    assert thang.search_key == "nguyen tien thang"
    assert (thang.position, thang.gender, thang.birth_date) == (
        "it_teacher",
        "male",
        date(1985, 12, 31),
    )
    assert thang.email == "thang@example.vn" and thang.status == "active"
    huong = db.session.scalar(select(Staff).where(Staff.staff_code == "T002"))
    assert (huong.gender, huong.position, huong.email) == ("female", "teacher", None)


def test_reimport_changes_nothing_and_updates_only_what_changed(db, tree):
    data = csv_bytes(
        STAFF_HEADER + "T1,Quàng Văn Đức,DB-A-S1,teacher,male,1980-01-01,,,active\n"
        "T2,Lò Thị Hương,DB-A-S1,teacher,female,,,,\n"
    )
    assert do_import("staff", data).created == 2
    db.session.commit()
    before = snapshot(db)
    again = do_import("staff", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    db.session.commit()
    assert snapshot(db) == before
    changed = csv_bytes(
        STAFF_HEADER + "T1,Quàng Văn Đức,DB-A-S2,teacher,male,1980-01-01,,,\n"
        "T2,Lò Thị Hương,DB-A-S1,teacher,female,,,,inactive\n"
    )
    report = do_import("staff", changed)
    assert (report.created, report.updated) == (0, 2)
    db.session.commit()
    t2 = db.session.scalar(select(Staff).where(Staff.staff_code == "T2"))
    assert t2.status == "inactive"


@pytest.mark.parametrize(
    "row, column, reason",
    [
        ("T1,,DB-A-S1,teacher,,,,,", "full_name", "required value missing"),
        ("T1,An,NOPE,teacher,,,,,", "org_code", "unknown org code NOPE"),
        ("T1,An,DB-A-S1,principal,,,,,", "position", "unknown position"),
        ("T1,An,DB-A-S1,teacher,,31/02/1990,,,", "birth_date", "impossible date 31/02/1990"),
        ("T1,An,DB-A-S1,teacher,,1990/13/45,,,", "birth_date", "not a date"),
        ("T1,An,DB-A-S1,teacher,robot,,,,", "gender", "unknown gender"),
        ("T1,An,DB-A-S1,teacher,,,not-an-email,,", "email", "not an email address"),
        ("T1,An,DB-A-S1,teacher,,,,,retired", "status", "unknown status"),
    ],
)
def test_staff_rejections_leave_the_database_as_before(db, tree, row, column, reason):
    good = "T0,Người Tốt,DB-A-S1,teacher,,,,,\n"
    before = snapshot(db)
    report = do_import("staff", csv_bytes(STAFF_HEADER + good + row + "\n"))
    assert not report.ok
    assert any(r == 3 and c == column and reason in text for r, c, text in errors_of(report)), (
        errors_of(report)
    )
    db.session.rollback()
    assert snapshot(db) == before


def test_every_bad_row_is_reported(db, tree):
    report = do_import(
        "staff",
        csv_bytes(
            STAFF_HEADER + "T1,,DB-A-S1,teacher,,,,,\nT2,An,NOPE,teacher,,,,,\n"
            "T3,Bình,DB-A-S1,teacher,,,,,\nT1,Dup,DB-A-S1,boss,,,,,\n"
        ),
    )
    assert [(r, c) for r, c, _ in errors_of(report)] == [
        (2, "full_name"),
        (3, "org_code"),
        (5, "position"),
        (5, "staff_code"),
    ]


def test_non_utf8_file_is_refused_with_advice(db, tree):
    data = (STAFF_HEADER + "T1,Lường Văn Hà,DB-A-S1,teacher,,,,,\n").encode("cp1258", "replace")
    report = do_import("staff", data)
    assert not report.ok
    assert "UTF-8" in str(report.problem) and "XLSX" in str(report.problem).upper()
    assert db.session.scalar(select(func.count()).select_from(Staff)) == 0


def test_xlsx_import_with_date_cells_and_numeric_codes(db, tree):
    data = xlsx_bytes(
        [
            ["staff_code", "full_name", "org_code", "position", "birth_date", "status"],
            [1001, "Đặng Văn Đức", "DB-A-S1", "teacher", date(1979, 5, 4), None],
            [None, None, None, None, None, None],
            [1002, "Lò Thị Hương", "DB-B-S1", "nhân viên", "04/05/1988", "active"],
        ]
    )
    report = do_import("staff", data, filename="roster.xlsx")
    assert report.ok, errors_of(report)
    db.session.commit()
    duc = db.session.scalar(select(Staff).where(Staff.staff_code == "1001"))
    assert duc.birth_date == date(1979, 5, 4) and duc.full_name == "Đặng Văn Đức"
    assert db.session.scalar(select(Staff.position).where(Staff.staff_code == "1002")) == "staff"


def test_xlsx_errors_use_spreadsheet_row_numbers(db, tree):
    data = xlsx_bytes(
        [
            ["staff_code", "full_name", "org_code", "position"],
            ["A1", "An", "DB-A-S1", "teacher"],
            [None, None, None, None],
            ["A2", "Bình", "MISSING", "teacher"],
        ]
    )
    report = do_import("staff", data, filename="roster.xlsx")
    assert errors_of(report)[0][:2] == (4, "org_code")


def test_semicolon_separated_csv(db, tree):
    data = csv_bytes("staff_code;full_name;org_code;position\nS1;Lường Văn Sơn;DB-B-S1;teacher\n")
    assert do_import("staff", data).created == 1


def test_certificates_import_upserts_by_issuer_and_number(db, tree):
    from tests.factories import make_staff

    make_staff(tree["DB-A-S1"], staff_code="T1")
    db.session.commit()
    header = "staff_code,level,number,issued_on,issuer,expires_on\n"
    data = csv_bytes(
        header + "T1,basic,CC-001,15/03/2019,Trường ĐH Tây Bắc,\n"
        "T1,basic,CC-001,2019-03-15,Trung tâm Tin học Điện Biên,2029-03-15\n"
    )
    report = do_import("certificates", data)
    assert report.ok and report.created == 2, errors_of(report)
    db.session.commit()
    assert do_import("certificates", data).unchanged == 2
    cert = db.session.scalar(select(Certificate).where(Certificate.issuer == "Trường ĐH Tây Bắc"))
    assert cert.external and cert.status == "valid" and cert.issued_on == date(2019, 3, 15)
    assert cert.verification_code is None


@pytest.mark.parametrize(
    "row, column, reason",
    [
        ("NOPE,basic,N1,2019-01-01,X,", "staff_code", "unknown staff code NOPE"),
        ("T1,expert,N1,2019-01-01,X,", "level", "unknown level expert"),
        ("T1,basic,N1,2019-01-01,X,2018-01-01", "expires_on", "expires on or before"),
        ("T1,basic,,2019-01-01,X,", "number", "required value missing"),
    ],
)
def test_certificate_rejections(db, tree, row, column, reason):
    from tests.factories import make_staff

    make_staff(tree["DB-A-S1"], staff_code="T1")
    db.session.commit()
    report = do_import(
        "certificates",
        csv_bytes("staff_code,level,number,issued_on,issuer,expires_on\n" + row + "\n"),
    )
    assert any(c == column and reason in text for _r, c, text in errors_of(report)), errors_of(
        report
    )
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_targets_import_and_rejections(db, tree):
    header = "org_code,level,year,percent\n"
    good = csv_bytes(
        header + "DB,basic,2026,85,5\n".replace("85,5", '"85,5"') + "DB-A,basic,2026,80%\n"
    )
    report = do_import("targets", good)
    assert report.ok and report.created == 2, errors_of(report)
    db.session.commit()
    percents = sorted(float(p) for p in db.session.scalars(select(Target.percent)))
    assert percents == [80.0, 85.5]
    bad = do_import(
        "targets",
        csv_bytes(
            header + "DB,basic,2026,120\nDB,basic,1999,50\nNOPE,basic,2026,50\nDB,basic,2026,abc\n"
            "DB-A,basic,2026,81\nDB-A,basic,2026,82\n"
        ),
    )
    assert [(r, c) for r, c, _ in errors_of(bad)] == [
        (2, "percent"),
        (3, "year"),
        (4, "org_code"),
        (5, "percent"),
        (7, "org_code"),
    ]


def test_import_is_audited_with_counts(db, tree):
    run_import(
        importer_for("orgunits"),
        "units.csv",
        csv_bytes("code,name,kind,parent_code\nDB-C,Huyện Tủa Chùa,district,DB\n"),
    )
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import.orgunits"))
    assert entry.details["created"] == 1 and entry.object_id == "units.csv"


def test_dry_run_writes_nothing(db, tree):
    report = do_import(
        "orgunits",
        csv_bytes("code,name,kind,parent_code\nDB-C,Huyện Tủa Chùa,district,DB\n"),
        dry_run=True,
    )
    assert report.ok and report.created == 1 and not report.written
    assert db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB-C")) is None
