"""GET /api/v1/staff and /api/v1/staff/<code>."""

from datetime import date

import pytest

from trainer.certificates.models import Certificate

from .. import factories


@pytest.fixture
def reader(api):
    """``reader(role, unit)``: a GET with that user's token (the shared ``api`` fixture)."""

    def as_role(role, unit="DB"):
        call = api(role, unit)
        return lambda path: call("GET", path)

    return as_role


@pytest.fixture
def people(db, tree):
    thang = factories.make_staff(
        tree["DB-A-S1"], "Nguyễn Tiến Thắng", staff_code="A1", birth_date=date(1985, 1, 2)
    )
    factories.make_staff(tree["DB-A-S2"], "Đặng Văn Đức", staff_code="A2")
    factories.make_staff(tree["DB-B-S1"], "Lò Thị Hương", staff_code="B1")
    db.session.add(
        Certificate(
            number="X-1",
            issuer_key="TT Tin học",
            issuer="TT Tin học",
            external=True,
            staff=thang,
            level_id=1,
            issued_on=date(2021, 6, 1),
        )
    )
    db.session.commit()


def test_staff_search(reader, people):
    get = reader("admin")
    body = get("/api/v1/staff?q=dang%20van%20duc").get_json()
    assert body["total"] == 1 and body["items"][0]["full_name"] == "Đặng Văn Đức"
    assert body["page"] == 1 and body["pages"] == 1
    assert set(body["items"][0]) >= {"staff_code", "full_name", "org_code", "position", "status"}


def test_staff_org_filter_and_scope(reader, people):
    admin = reader("admin")
    assert admin("/api/v1/staff?org=DB-A").get_json()["total"] == 2
    manager = reader("manager", "DB-B")
    body = manager("/api/v1/staff").get_json()
    codes = {item["staff_code"] for item in body["items"]}
    assert "B1" in codes and "A1" not in codes
    assert manager("/api/v1/staff?org=DB-A").status_code == 404
    assert manager("/api/v1/staff/A1").status_code == 404


def test_staff_detail_with_certificates(reader, people):
    body = reader("admin")("/api/v1/staff/A1").get_json()
    assert body["full_name"] == "Nguyễn Tiến Thắng" and body["birth_date"] == "1985-01-02"
    assert body["certificates"] == [
        {
            "number": "X-1",
            "level": "basic",
            "status": "valid",
            "issued_on": "2021-06-01",
            "expires_on": None,
            "issuer": "TT Tin học",
            "external": True,
        }
    ]


def test_bad_page_is_400_json(reader, people):
    response = reader("admin")("/api/v1/staff?page=abc")
    assert response.status_code == 400 and "error" in response.get_json()
