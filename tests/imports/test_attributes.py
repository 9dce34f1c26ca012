"""National identifiers and report attributes in the org-unit and staff imports."""

from datetime import date

import pytest
from sqlalchemy import select

from trainer.org.models import OrgUnit, Staff

from .test_imports import csv_bytes, do_import, errors_of, snapshot, xlsx_bytes

UNIT_HEADER = "code,name,kind,parent_code,moet_id,school_level,disadvantaged\n"
STAFF_HEADER = "staff_code,full_name,org_code,position,moet_id,ethnicity,birth_date\n"


@pytest.fixture(autouse=True)
def english(db):
    from flask_babel import force_locale

    with force_locale("en"):
        yield


def unit(db, code):
    db.session.expire_all()
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def staff(db, code):
    db.session.expire_all()
    return db.session.scalar(select(Staff).where(Staff.staff_code == code))


def test_unit_attributes_with_vietnamese_labels(db, tree):
    report = do_import(
        "orgunits",
        csv_bytes(
            UNIT_HEADER + "DB-A-S1,Trường Tiểu học Sa Lông,school,DB-A,62000101,Tiểu học,có\n"
            "DB-A-S2,Trường THCS Sá Tổng,school,DB-A,62000102,THCS,không\n"
            "DB-B-S1,Trường Mầm non Na Son,school,DB-B,,mam_non,yes\n"
            "DB-B-S2,Trường PTDTBT TH&THCS Na Son,school,DB-B,62000104,Liên cấp,\n"
        ),
    )
    assert report.ok, errors_of(report)
    assert (report.created, report.updated) == (1, 3)
    db.session.commit()
    s1, s2 = unit(db, "DB-A-S1"), unit(db, "DB-A-S2")
    assert (s1.moet_id, s1.school_level, s1.disadvantaged) == ("62000101", "tieu_hoc", True)
    assert (s2.school_level, s2.disadvantaged) == ("thcs", False)
    assert unit(db, "DB-B-S1").moet_id is None and unit(db, "DB-B-S1").disadvantaged is True
    assert unit(db, "DB-B-S2").school_level == "lien_cap"
    assert unit(db, "DB-B-S2").disadvantaged is None
    again = do_import(
        "orgunits",
        csv_bytes(UNIT_HEADER + "DB-A-S1,Trường Tiểu học Sa Lông,school,DB-A,62000101,TH,x\n"),
    )
    assert again.unchanged == 1 and again.updated == 0


def test_a_file_without_the_columns_keeps_them(db, tree):
    tree["DB-A-S1"].moet_id, tree["DB-A-S1"].school_level = "62000101", "tieu_hoc"
    db.session.commit()
    report = do_import(
        "orgunits", csv_bytes("code,name,kind,parent_code\nDB-A-S1,Trường TH Sa Lông,school,DB-A\n")
    )
    assert report.ok and report.updated == 1
    db.session.commit()
    s1 = unit(db, "DB-A-S1")
    assert (s1.name, s1.moet_id, s1.school_level) == ("Trường TH Sa Lông", "62000101", "tieu_hoc")


@pytest.mark.parametrize(
    "rows, expected",
    [
        ("X1,A,school,DB,,Đại học,\n", (2, "school_level", "unknown school level")),
        ("X1,A,school,DB,,,maybe\n", (2, "disadvantaged", "write yes or no")),
        ("X1,A,school,DB,mã sai,,\n", (2, "moet_id", "national identifier uses")),
        ("X1,A,school,DB,77,,\nX2,B,school,DB,77,,\n", (3, "moet_id", "duplicate in this file")),
        ("X1,A,school,DB,62000101,,\n", (2, "moet_id", "belongs to DB-A-S1")),
    ],
)
def test_bad_unit_attributes_write_nothing(db, tree, rows, expected):
    tree["DB-A-S1"].moet_id = "62000101"
    db.session.commit()
    before = snapshot(db)
    report = do_import("orgunits", csv_bytes(UNIT_HEADER + rows))
    assert not report.ok and not report.written
    row, column, reason = expected
    assert any(r == row and c == column and reason in text for r, c, text in errors_of(report)), (
        errors_of(report)
    )
    db.session.rollback()
    assert snapshot(db) == before


def test_staff_national_id_and_ethnicity(db, tree):
    report = do_import(
        "staff",
        csv_bytes(
            STAFF_HEADER
            + "T1,Lò Văn Pọm,DB-A-S1,giáo viên,0801234567,Thái,33239\n"  # Excel serial date
            "T2,Giàng A Páo,DB-A-S1,giáo viên,0801234568,H'Mông,15/04/1990\n"
            "T3,Nguyễn Thị Lan,DB-A-S2,giáo viên,,kinh,1988-02-29\n"
            "T4,Cứ A Dế,DB-A-S2,giáo viên,,Dân tộc Khơ Mú,\n"
            "T5,Quàng Thị Xuân,DB-A-S2,giáo viên,,,\n"
        ),
    )
    assert report.ok, errors_of(report)
    db.session.commit()
    t1, t2, t3 = staff(db, "T1"), staff(db, "T2"), staff(db, "T3")
    assert (t1.moet_id, t1.ethnicity, t1.birth_date) == ("0801234567", "Thái", date(1991, 1, 1))
    assert t2.ethnicity == "Mông" and t2.ethnic_minority is True
    assert t3.ethnicity == "Kinh" and t3.ethnic_minority is False
    assert staff(db, "T4").ethnicity == "Khơ Mú"
    assert staff(db, "T5").ethnicity is None and staff(db, "T5").ethnic_minority is None
    # an older file without the new columns keeps them
    kept = do_import(
        "staff",
        csv_bytes(
            "staff_code,full_name,org_code,position,birth_date\n"
            "T1,Lò Văn Pọm,DB-A-S1,teacher,01/01/1991\n"
        ),
    )
    assert kept.ok and kept.unchanged == 1
    db.session.commit()
    assert staff(db, "T1").moet_id == "0801234567" and staff(db, "T1").ethnicity == "Thái"


@pytest.mark.parametrize(
    "rows, expected",
    [
        ("T9,An,DB-A-S1,teacher,,Người Sao Hỏa,\n", (2, "ethnicity", "unknown ethnic group")),
        ("T9,An,DB-A-S1,teacher,0801234567,,\n", (2, "moet_id", "belongs to T1")),
        (
            "T8,An,DB-A-S1,teacher,111,,\nT9,Ba,DB-A-S1,teacher,111,,\n",
            (3, "moet_id", "duplicate in this file (first at row 2)"),
        ),
        ("T9,An,DB-A-S1,teacher,,,99999\n", (2, "birth_date", "out of range")),
    ],
)
def test_bad_staff_attributes_write_nothing(db, tree, rows, expected):
    from trainer.org.models import Staff as StaffModel

    db.session.add(
        StaffModel(
            staff_code="T1",
            full_name="Lò Văn Pọm",
            org_unit=tree["DB-A-S1"],
            position="teacher",
            moet_id="0801234567",
        )
    )
    db.session.commit()
    before = snapshot(db)
    report = do_import("staff", csv_bytes(STAFF_HEADER + rows))
    assert not report.ok
    row, column, reason = expected
    assert any(r == row and c == column and reason in text for r, c, text in errors_of(report)), (
        errors_of(report)
    )
    db.session.rollback()
    assert snapshot(db) == before


def test_xlsx_date_cells_and_numeric_ids(db, tree):
    report = do_import(
        "staff",
        xlsx_bytes(
            [
                ["staff_code", "full_name", "org_code", "position", "moet_id", "birth_date"],
                ["T1", "Lò Văn Pọm", "DB-A-S1", "teacher", 801234567, date(1979, 3, 8)],
                ["T2", "Lò Thị Hương", "DB-A-S1", "teacher", "0801234568", 29000],
            ]
        ),
        filename="staff.xlsx",
    )
    assert report.ok, errors_of(report)
    db.session.commit()
    assert staff(db, "T1").moet_id == "801234567"
    assert staff(db, "T1").birth_date == date(1979, 3, 8)
    assert staff(db, "T2").birth_date == date(1979, 5, 25)
