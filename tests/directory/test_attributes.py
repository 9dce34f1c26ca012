"""Ethnicity, national identifiers and school levels on the staff list, profile, exports, API."""

import io

import pytest
from openpyxl import load_workbook

from .. import factories


@pytest.fixture
def people(db, tree):
    return make_people(db, tree)


def make_people(db, tree):
    """Staff with and without ethnicity in schools with levels (one inherited)."""
    tree["DB-A"].disadvantaged = True
    tree["DB-A-S1"].school_level, tree["DB-A-S1"].disadvantaged = "tieu_hoc", True
    tree["DB-A-S1"].moet_id = "62000101"
    tree["DB-A-S2"].school_level = "thcs"
    # a unit below a primary school without a level of its own inherits it
    annex = factories.make_unit("DB-A-S1-P", "Điểm trường Huổi Lèng", "school", tree["DB-A-S1"])
    made = {
        "pom": factories.make_staff(
            tree["DB-A-S1"], "Lò Văn Pọm", staff_code="A1", ethnicity="Thái", moet_id="0801234567"
        ),
        "pao": factories.make_staff(annex, "Giàng A Páo", staff_code="A2", ethnicity="Mông"),
        "lan": factories.make_staff(
            tree["DB-A-S2"], "Nguyễn Thị Lan", staff_code="A3", ethnicity="Kinh"
        ),
        "xuan": factories.make_staff(tree["DB-A-S2"], "Quàng Thị Xuân", staff_code="A4"),
    }
    db.session.commit()
    return made


def names(page):
    return {
        name
        for name in ("Lò Văn Pọm", "Giàng A Páo", "Nguyễn Thị Lan", "Quàng Thị Xuân")
        if name in page
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("ethnic_minority=yes", {"Lò Văn Pọm", "Giàng A Páo"}),
        ("ethnic_minority=no", {"Nguyễn Thị Lan"}),
        ("ethnic_minority=unknown", {"Quàng Thị Xuân"}),
        ("school_level=tieu_hoc", {"Lò Văn Pọm", "Giàng A Páo"}),
        ("school_level=thcs", {"Nguyễn Thị Lan", "Quàng Thị Xuân"}),
        ("school_level=mam_non", set()),
        ("school_level=thcs&ethnic_minority=unknown", {"Quàng Thị Xuân"}),
    ],
)
def test_staff_list_filters(client, login_as, people, query, expected):
    login_as("manager")
    page = client.get(f"/staff?{query}").get_data(as_text=True)
    assert names(page) == expected


def test_list_profile_and_export_show_the_attributes(client, login_as, people):
    login_as("admin")
    listing = client.get("/staff?lang=vi").get_data(as_text=True)
    assert "Thái" in listing and "Tiểu học" in listing and "Dân tộc thiểu số" in listing
    profile = client.get("/staff/A1?lang=vi").get_data(as_text=True)
    assert "0801234567" in profile and "Thái" in profile and "Vùng đặc biệt khó khăn" in profile
    response = client.get("/staff/export.xlsx?lang=en&org=DB-A")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.values)
    header = rows[0]
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_code["A1"]["National ID (MOET)"] == "0801234567"
    assert by_code["A1"]["Ethnicity"] == "Thái" and by_code["A1"]["Ethnic minority"] == "Yes"
    assert by_code["A1"]["School level"] == "Primary"
    assert by_code["A1"]["Disadvantaged area"] == "Yes"
    assert by_code["A3"]["Ethnic minority"] == "No"
    assert by_code["A3"]["Disadvantaged area"] in ("", None)
    assert by_code["A4"]["Ethnic minority"] in ("", None)
    text = client.get("/staff/export.csv?lang=en&ethnic_minority=yes").get_data(as_text=True)
    assert "Lò Văn Pọm" in text and "Nguyễn Thị Lan" not in text
