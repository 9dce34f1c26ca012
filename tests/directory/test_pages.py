"""Org tree, staff list, profile, exports: what each role sees."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from trainer.certificates.models import Certificate

from .. import factories


@pytest.fixture
def roster(db, tree):
    people = {
        "thang": factories.make_staff(
            tree["DB-A-S1"], "Nguyễn Tiến Thắng", staff_code="A1", email="thang@example.vn"
        ),
        "duc": factories.make_staff(tree["DB-A-S2"], "Đặng Văn Đức", staff_code="A2"),
        "huong": factories.make_staff(tree["DB-B-S1"], "Lò Thị Hương", staff_code="B1"),
        "evil": factories.make_staff(tree["DB-A-S1"], '=HYPERLINK("http://x")', staff_code="A3"),
        "gone": factories.make_staff(
            tree["DB-A-S1"], "Cà Văn Nghỉ", staff_code="A4", status="inactive"
        ),
    }
    db.session.add(
        Certificate(
            number="EXT-1",
            issuer_key="ĐH Tây Bắc",
            issuer="ĐH Tây Bắc",
            external=True,
            staff=people["thang"],
            level_id=1,
            issued_on=date(2020, 5, 1),
            printed_name="Nguyễn Tiến Thắng",
        )
    )
    db.session.commit()
    return people


def test_org_tree_drills_down_with_counts(client, login_as, roster):
    login_as("admin")
    response = client.get("/org")
    assert response.status_code == 302 and response.headers["Location"].endswith("/org/DB")
    page = client.get("/org/DB").get_data(as_text=True)
    assert "Huyện Mường Chà" in page and "Huyện Điện Biên Đông" in page
    assert '<a href="/staff?org=DB-A">3</a>' in page  # thang, duc, evil (inactive not counted)
    school = client.get("/org/DB-A-S1").get_data(as_text=True)
    assert "Tỉnh Điện Biên" in school and "Huyện Mường Chà" in school  # breadcrumb


def test_manager_cannot_open_other_district(client, login_as, roster):
    login_as("manager")  # DB-A
    assert client.get("/org/DB-A").status_code == 200
    assert client.get("/org/DB-B").status_code == 404
    assert client.get("/org/DB").status_code == 404
    assert client.get("/staff/B1").status_code == 404
    assert client.get("/staff?org=DB-B").status_code == 404


def test_staff_list_search_and_filters(client, login_as, roster):
    login_as("manager")
    page = client.get("/staff?q=dang+van+duc").get_data(as_text=True)
    assert "Đặng Văn Đức" in page and "Nguyễn Tiến Thắng" not in page
    everyone = client.get("/staff").get_data(as_text=True)
    assert "Lò Thị Hương" not in everyone  # another district
    certified = client.get("/staff?certified=yes").get_data(as_text=True)
    assert "Nguyễn Tiến Thắng" in certified and "Đặng Văn Đức" not in certified
    inactive = client.get("/staff?status=inactive").get_data(as_text=True)
    assert "Cà Văn Nghỉ" in inactive and "Đặng Văn Đức" not in inactive
    school = client.get("/staff?org=DB-A-S2").get_data(as_text=True)
    assert "Đặng Văn Đức" in school and "Nguyễn Tiến Thắng" not in school


def test_staff_list_pages(app, client, login_as, db, tree):
    app.config["PAGE_SIZE"] = 2
    for i in range(5):
        factories.make_staff(tree["DB-A-S1"], f"Người Số {i}")
    db.session.commit()
    login_as("admin")
    first = client.get("/staff").get_data(as_text=True)
    assert "Trang 1 / 3" in first
    third = client.get("/staff?page=3").get_data(as_text=True)
    assert "Người Số 4" in third


def test_profile_shows_unit_path_contacts_and_external_certificate(client, login_as, roster):
    login_as("manager")
    page = client.get("/staff/A1").get_data(as_text=True)
    assert "Nguyễn Tiến Thắng" in page and "thang@example.vn" in page
    assert "Tỉnh Điện Biên › Huyện Mường Chà › Trường Tiểu học Sa Lông" in page
    assert "EXT-1" in page and "ĐH Tây Bắc" in page and "ngoài" in page


def test_teacher_sees_only_own_profile(client, login_as, roster, db):
    user = login_as("teacher")
    assert client.get(f"/staff/{user.staff.staff_code}").status_code == 200
    assert client.get("/staff/A1").status_code == 404
    assert client.get("/org/DB-A-S1").status_code == 404
    assert client.get("/staff/export.csv").status_code == 404
    listing = client.get("/staff").get_data(as_text=True)
    assert "Nguyễn Tiến Thắng" not in listing


def test_csv_export_is_scoped_and_neutralised(client, login_as, roster):
    login_as("manager")
    response = client.get("/staff/export.csv")
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    assert "Nguyễn Tiến Thắng" in text and "Lò Thị Hương" not in text
    assert "'=HYPERLINK" in text
    assert "\n=" not in text and ",=" not in text


def test_xlsx_export_cells_cannot_run(client, login_as, roster):
    login_as("admin")
    response = client.get("/staff/export.xlsx?q=hyperlink")
    workbook = load_workbook(io.BytesIO(response.data))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Mã cán bộ"
    assert rows[1][1].startswith("'=")
    assert len(rows) == 2


def test_neutralise():
    from trainer.exports import neutralise

    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=x"):
        assert neutralise(value).startswith("'")
    assert neutralise("Nguyễn") == "Nguyễn" and neutralise(5) == 5
