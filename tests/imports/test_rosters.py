"""Rosters as they arrive: title rows, Vietnamese headers, Excel dates, national identifiers,
and column mappings saved by name (SPEC section 9)."""

import io
import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy import func, select

from trainer.imports import importer_for
from trainer.imports.mappings import mapping_named, save_mapping
from trainer.imports.models import ImportMapping
from trainer.org.models import Staff

from .. import factories
from .test_imports import csv_bytes, do_import, errors_of

TITLE_ROWS = [
    ["SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH ĐIỆN BIÊN"],
    ["DANH SÁCH CÁN BỘ, GIÁO VIÊN, NHÂN VIÊN NĂM HỌC 2025-2026"],
]
HEADER = [
    "STT",
    "Mã định danh",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Vị trí việc làm",
    "Trạng thái",
    "Mã trường",
    "Email",
    "Số điện thoại",
]


def workbook(rows, header=HEADER):
    """An XLSX as the sector's database exports it: two title rows, then the header."""
    book = Workbook()
    sheet = book.active
    for row in [*TITLE_ROWS, header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ROWS = [
    [
        1,
        "0801000001",
        "Lò Văn Pọm",
        31048,
        "Nam",
        "Thái",
        "Giáo viên tiểu học hạng III",
        "Đang làm việc",
        "62000101",
        "",
        "0912345678",
    ],
    [
        2,
        "0801000002",
        "Giàng Thị Dợ",
        "15/04/1990",
        "Nữ",
        "Mông",
        "Giáo viên Tin học",
        "Đang làm việc",
        "DB-A-S2",
        "do.gt@dienbien.edu.vn",
        "",
    ],
    [
        3,
        "0801000003",
        "Nguyễn Văn An",
        datetime(1979, 3, 8),
        "NAM",
        "Kinh",
        "Hiệu trưởng",
        "Nghỉ hưu",
        "Trường Mầm non Na Son",
        "",
        "",
    ],
    [
        4,
        "0801000004",
        "Quàng Thị Xuân",
        "1988-12-01",
        "Nữ",
        "Khơ Mú",
        "Nhân viên kế toán",
        "",
        "62000101",
        "",
        "",
    ],
]


@pytest.fixture
def schools(db, tree):
    tree["DB-A-S1"].moet_id = "62000101"
    db.session.commit()
    return tree


@pytest.fixture(autouse=True)
def english(db):
    with force_locale("en"):
        yield


def staff_by_moet(db):
    db.session.expire_all()
    return {s.moet_id: s for s in db.session.scalars(select(Staff))}


def test_sector_workbook_with_title_rows_and_vietnamese_headers(db, schools):
    # someone already known by national identifier, under our own staff code
    factories.make_staff(
        schools["DB-A-S1"], "Lò Văn Pọm", staff_code="DB000123", moet_id="0801000001"
    )
    db.session.commit()
    report = do_import("staff", workbook(ROWS), filename="CSDL nganh.xlsx")
    assert report.ok, errors_of(report)
    assert (report.rows, report.created, report.updated) == (4, 3, 1)
    db.session.commit()
    people = staff_by_moet(db)
    pom = people["0801000001"]
    assert pom.staff_code == "DB000123"  # matched by national identifier, code kept
    assert (pom.birth_date, pom.gender, pom.ethnicity, pom.position) == (
        date(1985, 1, 1),
        "male",
        "Thái",
        "teacher",
    )
    assert pom.org_unit.code == "DB-A-S1" and pom.phone == "0912345678"
    do = people["0801000002"]
    assert do.staff_code == "0801000002"  # a new person gets the identifier as staff code
    assert (do.birth_date, do.position, do.org_unit.code) == (
        date(1990, 4, 15),
        "it_teacher",
        "DB-A-S2",
    )
    an = people["0801000003"]
    assert (an.birth_date, an.position, an.status, an.org_unit.code) == (
        date(1979, 3, 8),
        "manager",
        "inactive",
        "DB-B-S1",
    )  # unit found by its exact name
    xuan = people["0801000004"]
    assert (xuan.position, xuan.status, xuan.ethnicity) == ("staff", "active", "Khơ Mú")
    again = do_import("staff", workbook(ROWS), filename="CSDL nganh.xlsx")
    assert again.ok and again.unchanged == 4 and again.created == again.updated == 0


def test_bad_rows_are_reported_by_spreadsheet_row_and_the_files_header(db, schools):
    rows = [
        ROWS[0],
        [
            2,
            "0801000002",
            "Giàng Thị Dợ",
            "31/02/1990",
            "Nữ",
            "Người Sao Hỏa",
            "Giáo viên",
            "",
            "KHONG-CO",
            "",
            "",
        ],
    ]
    report = do_import("staff", workbook(rows), filename="roster.xlsx")
    assert not report.ok
    assert errors_of(report) == [
        (
            5,
            "Dân tộc (ethnicity)",
            "unknown ethnic group Người Sao Hỏa: use Kinh or the "
            "Vietnamese name of one of the 54 ethnic groups (Thái, Mông, Khơ Mú, Dao …)",
        ),
        (5, "Mã trường (org_code)", "unknown org code KHONG-CO"),
        (5, "Ngày sinh (birth_date)", "impossible date 31/02/1990"),
    ]
    assert db.session.scalar(select(func.count()).select_from(Staff)) == 0


def test_identifier_and_staff_code_of_two_people_is_an_error(db, schools):
    factories.make_staff(schools["DB-A-S1"], "Lò Văn Pọm", staff_code="A1", moet_id="111")
    factories.make_staff(schools["DB-A-S1"], "Lò Văn Pọm", staff_code="A2", moet_id="222")
    db.session.commit()
    report = do_import(
        "staff",
        csv_bytes(
            "staff_code,moet_id,full_name,org_code,position\n"
            "A2,111,Lò Văn Pọm,DB-A-S1,teacher\n"
            "A1,333,Lò Văn Pọm,DB-A-S1,teacher\n"
            ",,Lò Văn Pọm,DB-A-S1,teacher\n"
        ),
    )
    assert [(row, column) for row, column, _reason in errors_of(report)] == [
        (2, "moet_id"),
        (3, "moet_id"),
        (4, "staff_code"),
    ]
    assert "belongs to A1" in errors_of(report)[0][2]
    assert "A1 has the national identifier 111" in errors_of(report)[1][2]


def test_csv_with_title_rows_and_semicolons(db, schools):
    data = csv_bytes(
        "Danh sách giáo viên;;;\n;;;\nHọ và tên;Mã cán bộ;Đơn vị;Chức vụ\n"
        "Lò Thị Hương;T1;DB-A-S1;Giáo viên\n",
        bom=True,
    )
    report = do_import("staff", data)
    assert report.ok and report.created == 1, errors_of(report)


def test_saved_mapping_from_the_command_line(runner, db, schools, tmp_path):
    header = ["STT", "Số hiệu viên chức", "Họ và tên", "Mã trường", "Chức vụ", "Quê quán"]
    path = tmp_path / "truong.xlsx"
    path.write_bytes(
        workbook([[1, "VC-9", "Lò Thị Hương", "62000101", "Giáo viên", "Mường Chà"]], header=header)
    )
    refused = runner.invoke(args=["import", "staff", str(path), "--lang", "en"])
    assert refused.exit_code == 1 and "row 3, column staff_code" in refused.output
    save_mapping(
        "CSDL ngành", importer_for("staff"), {"Số hiệu viên chức": "staff_code", "Quê quán": ""}
    )
    db.session.commit()
    done = runner.invoke(args=["import", "staff", str(path), "--mapping", "CSDL ngành"])
    assert done.exit_code == 0, done.output
    assert (
        db.session.scalar(select(Staff.full_name).where(Staff.staff_code == "VC-9"))
        == "Lò Thị Hương"
    )
    unknown = runner.invoke(args=["import", "orgunits", str(path), "--mapping", "CSDL ngành"])
    assert unknown.exit_code == 1 and "no saved mapping" in unknown.output


def upload(client, content, name="roster.xlsx", mapping=""):
    return client.post(
        "/imports",
        data={"kind": "staff", "file": (io.BytesIO(content), name), "mapping": mapping},
        content_type="multipart/form-data",
    )


def hidden(page, name):
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def post_mapping(client, page, count, **choices):
    """Submit the column-mapping page ``page`` of a staff roster: ``choices`` are its
    ``label-N``/``field-N`` inputs and ``save_as``."""
    return client.post(
        "/imports/mapping",
        data={
            "token": hidden(page, "token"),
            "kind": "staff",
            "filename": "roster.xlsx",
            "columns": "{}",
            "count": count,
            **choices,
        },
    )


def unknown_header_page(client):
    """The mapping page of a one-row roster with one unknown header ("Số hiệu viên chức")."""
    header = ["Số hiệu viên chức", "Họ và tên", "Mã trường", "Chức vụ", "Quê quán"]
    row = ["VC-9", "Lò Thị Hương", "DB-A-S1", "Giáo viên", "Mường Chà"]
    return upload(client, workbook([row], header)).get_data(as_text=True)


def test_browser_maps_unknown_headers_once_and_saves_the_mapping(client, login_as, db, schools):
    login_as("admin")
    header = ["STT", "Số hiệu viên chức", "Họ và tên", "Mã trường", "Chức vụ", "Quê quán"]
    content = workbook(
        [[1, "VC-9", "Lò Thị Hương", "62000101", "Giáo viên", "Mường Chà"]], header=header
    )
    page = upload(client, content).get_data(as_text=True)
    assert "Số hiệu viên chức" in page and "Quê quán" in page and 'name="field-1"' in page
    assert "staff_code" in page  # still missing
    labels = {hidden(page, "label-0"), hidden(page, "label-1")}
    assert labels == {"Số hiệu viên chức", "Quê quán"}
    choice = {hidden(page, "label-0"): "staff_code", hidden(page, "label-1"): ""}
    checked = post_mapping(
        client,
        page,
        "2",
        **{
            "label-0": hidden(page, "label-0"),
            "field-0": choice[hidden(page, "label-0")],
            "label-1": hidden(page, "label-1"),
            "field-1": choice[hidden(page, "label-1")],
            "save_as": "CSDL ngành",
        },
    )
    report = checked.get_data(as_text=True)
    assert "1 to create" in report or "1 tạo mới" in report, report
    saved = mapping_named("CSDL ngành")
    assert saved.kind == "staff" and saved.columns["Số hiệu viên chức"] == "staff_code"
    done = client.post(
        "/imports/confirm",
        data={
            "token": hidden(report, "token"),
            "kind": "staff",
            "filename": "roster.xlsx",
            "columns": hidden(report, "columns").replace("&#34;", '"'),
        },
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Staff).where(Staff.staff_code == "VC-9")) is not None
    # next time: choose the saved mapping on upload and go straight to the report
    again = upload(client, content, mapping="CSDL ngành").get_data(as_text=True)
    assert 'name="field-0"' not in again and ("1 unchanged" in again or "1 không đổi" in again)


def test_browser_refuses_one_field_from_two_columns(client, login_as, db, schools):
    login_as("admin")
    header = ["Số hiệu", "Mã số", "Họ và tên", "Mã trường", "Chức vụ"]
    page = upload(
        client, workbook([["A", "B", "Lò Thị Hương", "62000101", "Giáo viên"]], header=header)
    ).get_data(as_text=True)
    answer = post_mapping(
        client,
        page,
        "2",
        **{
            "label-0": "Số hiệu",
            "field-0": "staff_code",
            "label-1": "Mã số",
            "field-1": "staff_code",
            "save_as": "X",
        },
    )
    assert answer.status_code == 200 and 'name="field-0"' in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ImportMapping)) == 0
    assert db.session.scalar(select(func.count()).select_from(Staff)) == 0
    bad = client.post(
        "/imports/confirm",
        data={
            "token": hidden(page, "token"),
            "kind": "staff",
            "filename": "roster.xlsx",
            "columns": '{"Số hiệu": "password"}',
        },
    )
    assert bad.status_code == 400
