"""Results, progress, certificates and verification through the API."""

import pytest

from trainer.timeutil import local_today

from .. import factories

BASIC = [f"IU0{i}" for i in range(1, 7)]


@pytest.fixture
def person(db, tree):
    staff = factories.make_staff(tree["DB-A-S1"], "Quàng Văn Đức", staff_code="A1")
    db.session.commit()
    return staff


def post_results(call, codes, score=75):
    for code in codes:
        response = call(
            "POST",
            "/api/v1/results",
            {"staff_code": "A1", "module": code, "score": score, "assessed_on": "2026-03-01"},
        )
        assert response.status_code == 201, response.get_json()


def test_results_progress_and_issue(api, person):
    call = api("trainer")
    post_results(call, BASIC[:4])
    progress = call("GET", "/api/v1/staff/A1/progress").get_json()
    basic = next(p for p in progress["levels"] if p["level"] == "basic")
    assert basic["required_missing"] == ["IU05", "IU06"] and not basic["eligible"]
    refused = call("POST", "/api/v1/certificates", {"staff_code": "A1", "level": "basic"})
    assert refused.status_code == 422 and refused.get_json()["missing"] == ["IU05", "IU06"]
    post_results(call, ["IU05", "IU06"])
    issued = call("POST", "/api/v1/certificates", {"staff_code": "A1", "level": "basic"})
    assert issued.status_code == 201
    body = issued.get_json()
    assert set(body) >= {"number", "verification_code", "verify_url", "pdf_url"}
    assert body["verify_url"].endswith("/verify/" + body["verification_code"])
    assert (
        call("POST", "/api/v1/certificates", {"staff_code": "A1", "level": "basic"}).status_code
        == 409
    )
    pdf = call("GET", f"/api/v1/certificates/{body['number']}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    after = call("GET", "/api/v1/staff/A1/progress").get_json()
    assert next(p for p in after["levels"] if p["level"] == "basic")["held"] is True
    assert after["certificates"][0]["number"] == body["number"]


def test_revoke_and_verify(api, person, client):
    call = api("trainer")
    post_results(call, BASIC)
    number = call(
        "POST", "/api/v1/certificates", {"staff_code": "A1", "level": "basic"}
    ).get_json()["number"]
    assert call("POST", f"/api/v1/certificates/{number}/revoke", {}).status_code == 400
    revoked = call("POST", f"/api/v1/certificates/{number}/revoke", {"reason": "Trùng lặp"})
    assert revoked.status_code == 200 and revoked.get_json()["status"] == "revoked"
    code = call("GET", f"/api/v1/certificates/{number}").get_json()["verification_code"]
    public = client.get(f"/api/v1/verify/{code}").get_json()  # no token needed
    assert public["status"] == "revoked" and public["revoked_reason"] == "Trùng lặp"
    assert public["revoked_on"] == local_today().isoformat()  # Vietnam's day, not the server's


def test_bulk_and_scope(api, person, db, tree):
    call = api("trainer")
    post_results(call, BASIC)
    bulk = call("POST", "/api/v1/certificates/bulk", {"org": "DB-A", "level": "basic"})
    assert bulk.status_code == 201 and bulk.get_json()["issued"] == 1
    outsider = api("trainer", unit="DB-B")
    assert (
        outsider("POST", "/api/v1/certificates/bulk", {"org": "DB-A", "level": "basic"}).status_code
        == 404
    )
    number = bulk.get_json()["numbers"][0]
    assert outsider("GET", f"/api/v1/certificates/{number}").status_code == 404
    head = api("manager")
    assert head("GET", f"/api/v1/certificates/{number}").status_code == 200
    assert (
        head(
            "POST",
            "/api/v1/results",
            {"staff_code": "A1", "module": "IU01", "score": 5, "assessed_on": "2026-01-01"},
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "body",
    [
        {"staff_code": "A1", "module": "IU01", "score": 101, "assessed_on": "2026-01-01"},
        {"staff_code": "A1", "module": "IU01", "score": "ninety", "assessed_on": "2026-01-01"},
        {"staff_code": "A1", "module": "IU99", "score": 50, "assessed_on": "2026-01-01"},
        {"staff_code": "A1", "module": "IU01", "score": 50, "assessed_on": "01/01/2026"},
        {"staff_code": "A1", "module": "IU01", "score": 50, "assessed_on": "2999-01-01"},
    ],
)
def test_bad_results_are_400(api, person, body):
    response = api("trainer")("POST", "/api/v1/results", body)
    assert response.status_code == 400 and "error" in response.get_json()
