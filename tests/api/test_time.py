"""The API across time: a closed unit's 404 with its dates, org units as of a date."""

from datetime import date

from sqlalchemy import select

from trainer.org.models import OrgUnit


def close_district(db, tree):
    """DB-B closes on 30/06/2025 into DB; its school DB-B-S1 moves to DB-A from 01/07/2025."""
    from trainer.org.reorganisation import apply_plan, plan_changes

    plan = plan_changes([(2, "DB-B", "close", date(2025, 7, 1), "DB-A", None)])
    apply_plan(plan, filename="t.csv")
    db.session.commit()


def test_coverage_of_a_closed_unit_is_not_in_force(api, db, tree):
    close_district(db, tree)
    call = api("admin", "DB")
    answer = call("GET", "/api/v1/coverage?org=DB-B&as_of=2025-07-01")
    assert answer.status_code == 404
    body = answer.get_json()
    assert body.pop("message") == "Đơn vị này không còn hoạt động vào ngày đó."
    assert body == {
        "error": "not_in_force",
        "valid_from": None,
        "valid_to": "2025-06-30",
        "successor_code": "DB-A",
    }
    assert call("GET", "/api/v1/coverage?org=DB-B&as_of=2025-06-30").status_code == 200


def test_orgunit_as_of_lists_the_children_in_force_then(api, db, tree):
    close_district(db, tree)
    call = api("admin", "DB")
    before = call("GET", "/api/v1/orgunits/DB?as_of=2025-06-30").get_json()
    after = call("GET", "/api/v1/orgunits/DB?as_of=2025-07-01").get_json()
    assert [c["code"] for c in before["children"]] == ["DB-A", "DB-B"]
    assert [c["code"] for c in after["children"]] == ["DB-A"]
    unit = call("GET", "/api/v1/orgunits/DB-B?as_of=2025-06-30").get_json()
    assert (unit["valid_from"], unit["valid_to"], unit["successor_code"]) == (
        None,
        "2025-06-30",
        "DB-A",
    )
    school = call("GET", "/api/v1/orgunits/DB-B-S1?as_of=2025-06-30").get_json()
    assert school["parent_code"] == "DB-B"
    assert call("GET", "/api/v1/orgunits/DB?as_of=junk").status_code == 400


def test_the_page_of_a_closed_unit_links_its_successor(client, login_as, db, tree):
    close_district(db, tree)
    login_as("admin")
    page = client.get("/coverage?org=DB-B&as_of=2025-07-01&lang=en").get_data(as_text=True)
    assert "Merged into" in page and "org=DB-A" in page and "01/07/2025" in page
    compare = client.get("/coverage?org=DB&as_of=2026-07-01&compare=today&lang=en")
    assert compare.status_code == 200 and 'data-code="DB-A"' in compare.get_data(as_text=True)


def test_admin_previews_applies_and_undoes_a_reorganisation(client, login_as, db, tree):
    import io

    login_as("admin")
    data = b"code,action,on,to_code,name\nDB-B,close,01/07/2025,DB-A,\n"
    page = client.post(
        "/admin/reorganisations",
        data={"file": (io.BytesIO(data), "r.csv")},
        content_type="multipart/form-data",
    )
    text = page.get_data(as_text=True)
    assert 'data-code="DB-A"' in text and "DB-B-S1" in text
    token = text.split('name="token" value="')[1].split('"')[0]
    assert db.session.scalar(select(OrgUnit.valid_to).where(OrgUnit.code == "DB-B")) is None
    done = client.post("/admin/reorganisations/confirm", data={"token": token, "filename": "r.csv"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(OrgUnit.valid_to).where(OrgUnit.code == "DB-B")) == date(
        2025, 6, 30
    )
    from trainer.org.periods import Reorganisation

    record = db.session.scalar(select(Reorganisation))
    assert client.post(f"/admin/reorganisations/{record.id}/undo").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(OrgUnit.valid_to).where(OrgUnit.code == "DB-B")) is None


def test_exports_of_a_closed_unit_are_not_found(client, login_as, db, tree):
    close_district(db, tree)
    login_as("admin")
    assert client.get("/coverage/export.csv?org=DB-B&as_of=2025-07-01").status_code == 404
    assert client.get("/coverage/export.csv?org=DB-B&as_of=2025-06-30").status_code == 200
