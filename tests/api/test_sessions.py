"""The session endpoints of the JSON API."""

import pytest

from .. import factories


@pytest.fixture
def people(db, tree):
    trainer = factories.make_staff(tree["DB-A-S1"], "Lò Văn Giảng", "it_teacher", staff_code="GV1")
    for i in range(1, 5):
        factories.make_staff(tree["DB-A-S1"], f"Giáo Viên {i}", staff_code=f"T{i}")
    db.session.commit()
    return trainer


BODY = {
    "module": "IU03",
    "title": "Xử lý văn bản",
    "trainer": "GV1",
    "org": "DB-A-S1",
    "location": "Phòng 1",
    "starts_at": "2030-05-06T08:00:00+07:00",
    "ends_at": "2030-05-06T10:00:00+07:00",
    "capacity": 3,
}


def test_create_list_detail(api, people):
    call = api("trainer", staff=people)
    created = call("POST", "/api/v1/sessions", BODY)
    assert created.status_code == 201
    body = created.get_json()
    assert body["id"] and body["starts_at"] == "2030-05-06T01:00:00+00:00"
    assert body["module"] == "IU03" and body["enrolled"] == 0
    listed = call("GET", "/api/v1/sessions?org=DB-A&from=2030-05-01&to=2030-05-31").get_json()
    assert [s["id"] for s in listed["items"]] == [body["id"]]
    assert call("GET", "/api/v1/sessions?from=2030-06-01").get_json()["items"] == []
    detail = call("GET", f"/api/v1/sessions/{body['id']}").get_json()
    assert detail["enrollments"] == []


def test_overlap_is_409(api, people):
    call = api("trainer", staff=people)
    first = call("POST", "/api/v1/sessions", BODY).get_json()
    clash = call(
        "POST",
        "/api/v1/sessions",
        BODY | {"starts_at": "2030-05-06T09:00:00+07:00", "ends_at": "2030-05-06T11:00:00+07:00"},
    )
    assert clash.status_code == 409 and clash.get_json()["clash"] == first["id"]
    touching = call(
        "POST",
        "/api/v1/sessions",
        BODY | {"starts_at": "2030-05-06T10:00:00+07:00", "ends_at": "2030-05-06T11:00:00+07:00"},
    )
    assert touching.status_code == 201


@pytest.mark.parametrize(
    "change, status",
    [
        ({"capacity": "many"}, 400),
        ({"starts_at": "tomorrow"}, 400),
        ({"starts_at": "2030-05-06T08:00:00"}, 400),  # no offset
        ({"ends_at": "2030-05-06T07:00:00+07:00"}, 400),
        ({"module": "IU99"}, 400),
        ({"org": "DB-B-S1"}, 400),  # outside scope
        ({"title": None}, 400),
    ],
)
def test_bad_bodies(api, people, change, status):
    response = api("trainer", staff=people)("POST", "/api/v1/sessions", BODY | change)
    assert response.status_code == status and "error" in response.get_json()


def test_malformed_json_is_400(api, people, client):
    call = api("trainer", staff=people)
    response = call("POST", "/api/v1/sessions", None)
    assert response.status_code == 400 and response.is_json


def test_enrol_capacity_and_attendance(api, people):
    call = api("trainer", staff=people)
    session_id = call("POST", "/api/v1/sessions", BODY).get_json()["id"]
    over = call(
        "POST",
        f"/api/v1/sessions/{session_id}/enrollments",
        {"staff_codes": ["T1", "T2", "T3", "T4"]},
    )
    assert over.status_code == 409
    assert call("GET", f"/api/v1/sessions/{session_id}").get_json()["enrollments"] == []
    ok = call("POST", f"/api/v1/sessions/{session_id}/enrollments", {"staff_codes": ["T1", "T2"]})
    assert ok.status_code == 200 and sorted(ok.get_json()["added"]) == ["T1", "T2"]
    unknown = call("POST", f"/api/v1/sessions/{session_id}/enrollments", {"staff_codes": ["NOPE"]})
    assert unknown.status_code == 400 and unknown.get_json()["unknown"] == ["NOPE"]
    marked = call(
        "PUT",
        f"/api/v1/sessions/{session_id}/attendance",
        {
            "records": [
                {"staff_code": "T1", "status": "present"},
                {"staff_code": "T2", "status": "late"},
            ]
        },
    )
    assert marked.status_code == 200
    statuses = {e["staff_code"]: e["status"] for e in marked.get_json()["enrollments"]}
    assert statuses == {"T1": "present", "T2": "late"}
    bad = call(
        "PUT",
        f"/api/v1/sessions/{session_id}/attendance",
        {
            "records": [
                {"staff_code": "T1", "status": "asleep"},
                {"staff_code": "T3", "status": "present"},
            ]
        },
    )
    assert bad.status_code == 400
    assert [p["error"] for p in bad.get_json()["problems"]] == ["unknown_status", "not_enrolled"]
    after = call("GET", f"/api/v1/sessions/{session_id}").get_json()["enrollments"]
    assert {e["staff_code"]: e["status"] for e in after} == {"T1": "present", "T2": "late"}


def test_scope_of_sessions(api, people, db, tree):
    session_id = api("trainer", staff=people)("POST", "/api/v1/sessions", BODY).get_json()["id"]
    other_district = api("manager", unit="DB-B")
    assert other_district("GET", f"/api/v1/sessions/{session_id}").status_code == 404
    assert other_district("GET", "/api/v1/sessions").get_json()["items"] == []
    head = api("manager", unit="DB-A")
    assert head("GET", f"/api/v1/sessions/{session_id}").status_code == 200
    assert head("POST", "/api/v1/sessions", BODY).status_code == 404  # heads read only


@pytest.mark.parametrize(
    "capacity, status", [(0, 400), (1, 201), (500, 201), (501, 400), (100000, 400)]
)
def test_capacity_limits_are_the_forms(api, people, capacity, status):
    """The API refuses what the form refuses (1–500 places), with a stable code."""
    response = api("trainer", staff=people)(
        "POST", "/api/v1/sessions", BODY | {"capacity": capacity}
    )
    assert response.status_code == status, response.get_json()
    if status == 400:
        body = response.get_json()
        assert body["error"] == "capacity_out_of_range"
        assert (body["minimum"], body["maximum"], body["field"]) == (1, 500, "capacity")
        assert body["message"] == "Mỗi buổi học có từ 1 đến 500 chỗ."


def test_errors_are_stable_codes_with_a_message(api, people):
    call = api("trainer", staff=people)
    first = call("POST", "/api/v1/sessions", BODY).get_json()
    clash = call("POST", "/api/v1/sessions", BODY).get_json()
    assert clash["error"] == "trainer_busy" and clash["clash"] == first["id"]
    assert clash["message"].startswith("Giảng viên đã có buổi học trùng giờ")
    missing = call("POST", "/api/v1/sessions", BODY | {"title": None}).get_json()
    assert (missing["error"], missing["field"]) == ("field_required", "title")
    full = call(
        "POST",
        f"/api/v1/sessions/{first['id']}/enrollments",
        {"staff_codes": ["T1", "T2", "T3", "T4"]},
    )
    assert full.status_code == 409 and full.get_json()["error"] == "capacity_exceeded"
    assert "4" in full.get_json()["message"] and "3" in full.get_json()["message"]
    unknown = call("GET", "/api/v1/sessions/999999")
    assert unknown.status_code == 404 and unknown.get_json()["error"] == "not_found"


def test_the_service_checks_the_limits_too(db, tree, people):
    """Whatever calls it (page, API, CLI), the service refuses a session of 501 places."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from trainer.curriculum.models import Module
    from trainer.errors import InvalidInput
    from trainer.training import services

    start = datetime(2030, 5, 6, 1, tzinfo=UTC)
    module = db.session.scalar(select(Module).where(Module.code == "IU01"))
    with pytest.raises(InvalidInput) as refused:
        services.create_session(
            module=module,
            title="X",
            trainer=people,
            venue=tree["DB-A"],
            location="",
            starts_at=start,
            capacity=501,
            ends_at=start + timedelta(hours=1),
        )
    assert refused.value.code == "capacity_out_of_range"
