"""Marks and results made offline: applied at most once, in scope, later device time wins."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from trainer.accounts.services import issue_token
from trainer.audit import AuditEntry
from trainer.curriculum.models import Result
from trainer.training import services
from trainer.training.checkin_keys import CheckinKey
from trainer.training.models import Enrollment
from trainer.training.sync_models import DeviceSubmission

from .. import factories


def sign_in(client, user):
    assert (
        client.post(
            "/login",
            data={
                "identifier": user.email or user.staff.staff_code,
                "password": factories.PASSWORD,
            },
        ).status_code
        == 302
    )


def item(session, staff_code, status="present", *, at=None, kind="attendance", **extra):
    at = at or datetime.now(UTC) - timedelta(minutes=5)
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "session": session.id,
        "staff_code": staff_code,
        "status": status,
        "device_at": at.isoformat(),
        **extra,
    }


def sync(client, *items):
    return client.post("/sessions/sync", json={"items": list(items)})


def status_of(db, session, staff):
    db.session.expire_all()
    return db.session.scalar(
        select(Enrollment.status).where(
            Enrollment.session_id == session.id, Enrollment.staff_id == staff.id
        )
    )


def audit_count(db, action):
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    )


def setup(db, tree, make_session, teachers, trainer_staff, *, start=-1):
    session = make_session(start=start, capacity=10)
    services.enroll(session, teachers[:3])
    user = factories.make_user("trainer", tree["DB-A"], staff=trainer_staff)
    db.session.commit()
    return session, user


def test_an_item_is_applied_once_however_often_it_arrives(
    client, db, tree, make_session, teachers, trainer_staff
):
    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    sign_in(client, user)
    mark = item(session, "T1", "late")
    first = sync(client, mark)
    assert first.status_code == 200
    assert first.get_json()["items"][0] | {"current": None} == {
        "id": mark["id"],
        "outcome": "applied",
        "repeat": False,
        "current": None,
    }
    again = sync(client, mark, mark)
    assert [a["repeat"] for a in again.get_json()["items"]] == [True, True]
    assert {a["outcome"] for a in again.get_json()["items"]} == {"applied"}
    assert status_of(db, session, teachers[0]) == "late"
    assert db.session.scalar(select(func.count()).select_from(DeviceSubmission)) == 1
    assert audit_count(db, "attendance.mark") == 1
    assert audit_count(db, "sync.attendance") == 1


def test_audit_keeps_device_time_and_arrival_time(
    client, db, tree, make_session, teachers, trainer_staff
):
    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    sign_in(client, user)
    tapped = datetime.now(UTC) - timedelta(hours=1, minutes=3)
    sync(client, item(session, "T2", "present", at=tapped))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "sync.attendance"))
    assert datetime.fromisoformat(entry.details["device_at"]) == tapped
    arrived = datetime.fromisoformat(entry.details["received_at"])
    assert abs(arrived - datetime.now(UTC)) < timedelta(minutes=1)
    assert entry.user_id == user.id and entry.details["outcome"] == "applied"
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.staff_id == teachers[1].id))
    assert enrollment.marked_at == tapped and enrollment.marked_by_id == user.id


def test_the_later_device_time_wins_and_both_are_audited(
    client, db, tree, make_session, teachers, trainer_staff
):
    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    sign_in(client, user)
    now = datetime.now(UTC)
    later = item(session, "T1", "absent", at=now - timedelta(minutes=2))  # device B
    earlier = item(session, "T1", "present", at=now - timedelta(minutes=9))  # device A
    assert sync(client, later).get_json()["items"][0]["outcome"] == "applied"
    answer = sync(client, earlier).get_json()["items"][0]
    assert answer["outcome"] == "superseded" and answer["reason"] == "later_mark"
    assert answer["current"]["status"] == "absent"
    assert status_of(db, session, teachers[0]) == "absent"
    outcomes = sorted(
        e.details["status"] + ":" + e.details["outcome"]
        for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "sync.attendance")
        )
    )
    assert outcomes == ["absent:applied", "present:superseded"]
    # arriving in the other order, the later device time still wins
    newest = item(session, "T1", "excused", at=now - timedelta(minutes=1))
    assert sync(client, newest).get_json()["items"][0]["outcome"] == "applied"
    assert status_of(db, session, teachers[0]) == "excused"


def test_a_mark_made_online_after_the_offline_tap_wins(
    client, db, tree, make_session, teachers, trainer_staff
):
    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    sign_in(client, user)
    offline_tap = item(session, "T3", "absent", at=datetime.now(UTC) - timedelta(minutes=30))
    assert (
        client.post(
            f"/sessions/{session.id}/attendance", data={"staff_code": "T3", "status": "present"}
        ).status_code
        == 302
    )
    assert sync(client, offline_tap).get_json()["items"][0]["outcome"] == "superseded"
    assert status_of(db, session, teachers[2]) == "present"


def test_a_clock_ahead_of_the_server_does_not_win_for_ever(
    client, db, tree, make_session, teachers, trainer_staff
):
    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    sign_in(client, user)
    sync(client, item(session, "T1", "absent", at=datetime.now(UTC) + timedelta(days=2)))
    stored = db.session.scalar(select(DeviceSubmission.device_at))
    assert stored <= datetime.now(UTC)
    assert (
        sync(client, item(session, "T1", "present", at=datetime.now(UTC))).get_json()["items"][0][
            "outcome"
        ]
        == "applied"
    )


def test_someone_unenrolled_meanwhile_is_reported_back(
    client, db, tree, make_session, teachers, trainer_staff
):
    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    services.unenroll(session, teachers[1])
    db.session.commit()
    sign_in(client, user)
    answers = sync(client, item(session, "T2"), item(session, "T1")).get_json()["items"]
    assert [(a["outcome"], a.get("reason")) for a in answers] == [
        ("refused", "not_enrolled"),
        ("applied", None),
    ]
    assert status_of(db, session, teachers[0]) == "present"
    row = db.session.scalar(select(DeviceSubmission).where(DeviceSubmission.staff_code == "T2"))
    assert row.outcome == "refused" and row.reason == "not_enrolled"


def test_scope_and_capability_as_for_the_attendance_page(
    client, db, tree, make_session, teachers, trainer_staff
):
    session, _user = setup(db, tree, make_session, teachers, trainer_staff)
    outsider = factories.make_user("trainer", tree["DB-B"])
    db.session.commit()
    sign_in(client, outsider)
    answer = sync(client, item(session, "T1")).get_json()["items"][0]
    assert (answer["outcome"], answer["reason"]) == ("refused", "session_not_found")
    assert status_of(db, session, teachers[0]) is None
    for role, unit in (("manager", "DB-A"), ("teacher", "DB-A-S1")):
        client.post("/logout")
        sign_in(client, factories.make_user(role, tree[unit]))
        db.session.commit()
        response = sync(client, item(session, "T1"))
        assert response.status_code == 404 and "error" in response.get_json()
    assert status_of(db, session, teachers[0]) is None
    assert db.session.scalar(select(func.count()).select_from(DeviceSubmission)) == 1


def test_bad_input_is_refused_whole_and_changes_nothing(
    client, db, tree, make_session, teachers, trainer_staff
):
    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    sign_in(client, user)
    good = item(session, "T1")
    for body in (
        {"items": "x"},
        {"items": []},
        {},
        {"items": [good] * 51},
        {"items": [good, dict(good, id="not-a-uuid")]},
        {"items": [good, dict(item(session, "T2"), device_at="yesterday")]},
        {"items": [good, dict(item(session, "T2"), session="1")]},
    ):
        response = client.post("/sessions/sync", json=body)
        assert response.status_code == 400 and response.get_json()["error"]
    assert (
        client.post("/sessions/sync", data="{oops", content_type="application/json").status_code
        == 400
    )
    assert status_of(db, session, teachers[0]) is None
    assert db.session.scalar(select(func.count()).select_from(DeviceSubmission)) == 0


def test_unknown_status_is_refused_per_item(
    client, db, tree, make_session, teachers, trainer_staff
):
    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    sign_in(client, user)
    answer = sync(client, item(session, "T1", "asleep")).get_json()["items"][0]
    assert (answer["outcome"], answer["reason"]) == ("refused", "unknown_status")


def test_results_are_recorded_once_and_checked(
    client, db, tree, make_session, teachers, trainer_staff
):
    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    sign_in(client, user)
    score = item(session, "T1", kind="result", score="82.5")
    answers = sync(
        client,
        score,
        score,
        item(session, "T2", kind="result", score=140),
        item(session, "T4", kind="result", score=60),
    ).get_json()["items"]
    assert [(a["outcome"], a.get("reason")) for a in answers] == [
        ("applied", None),
        ("applied", None),
        ("refused", "invalid_score"),
        ("refused", "not_enrolled"),
    ]
    results = db.session.scalars(select(Result)).all()
    assert [(r.staff_id, float(r.score)) for r in results] == [(teachers[0].id, 82.5)]
    assert results[0].recorded_by_id == user.id


def test_a_result_for_a_session_not_held_yet_is_refused(
    client, db, tree, make_session, teachers, trainer_staff
):
    session, user = setup(db, tree, make_session, teachers, trainer_staff, start=24 * 3)
    sign_in(client, user)
    answer = sync(client, item(session, "T1", kind="result", score=70)).get_json()["items"][0]
    assert (answer["outcome"], answer["reason"]) == ("refused", "invalid_assessed_on")


def test_a_qr_check_in_carries_a_genuine_card(
    app, client, db, tree, make_session, teachers, trainer_staff
):
    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    sign_in(client, user)
    key = CheckinKey.from_config(app.config)
    forged = key.card("T1").replace("T1", "T2", 1)
    answers = sync(
        client,
        item(session, "T2", "present", via="qr", card=forged),
        item(session, "T1", "late", via="qr", card=key.card("T1")),
    ).get_json()["items"]
    assert [(a["outcome"], a.get("reason")) for a in answers] == [
        ("refused", "forged_card"),
        ("applied", None),
    ]
    db.session.expire_all()
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.staff_id == teachers[0].id))
    assert enrollment.status == "late" and enrollment.checked_in_at is not None
    assert status_of(db, session, teachers[1]) is None


def test_the_api_endpoint_takes_a_token(client, db, tree, make_session, teachers, trainer_staff):
    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    token = issue_token(user)
    db.session.commit()
    mark = item(session, "T1", "excused")
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(2):
        response = client.post("/api/v1/sync", json={"items": [mark]}, headers=headers)
        assert response.status_code == 200
    assert response.get_json()["items"][0]["repeat"] is True
    assert status_of(db, session, teachers[0]) == "excused"
    assert client.post("/api/v1/sync", json={"items": [mark]}).status_code == 401


def test_the_page_endpoint_needs_csrf_and_a_signed_in_user(
    app, client, db, tree, make_session, teachers, trainer_staff
):
    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    anonymous = client.get("/sessions/sync")
    assert anonymous.status_code == 401 and anonymous.get_json()["signed_in"] is False
    sign_in(client, user)
    app.config["WTF_CSRF_ENABLED"] = True
    mark = item(session, "T1")
    assert sync(client, mark).status_code == 400
    state = client.get("/sessions/sync").get_json()
    assert state["user_id"] == user.id
    response = client.post(
        "/sessions/sync", json={"items": [mark]}, headers={"X-CSRFToken": state["csrf_token"]}
    )
    assert response.status_code == 200 and response.get_json()["items"][0]["outcome"] == "applied"


def test_the_audit_log_reads_device_and_arrival_times(
    client, db, tree, make_session, teachers, trainer_staff, login_as
):
    """What reached the server from a tablet reads as a sentence in the audit log, with the
    time on the device and the time of arrival (local time), and what became of it."""
    from zoneinfo import ZoneInfo

    session, user = setup(db, tree, make_session, teachers, trainer_staff)
    services.unenroll(session, teachers[1])
    db.session.commit()
    sign_in(client, user)
    tapped = datetime(2026, 11, 29, 2, 5, 9, tzinfo=UTC)  # 09:05:09 in Vietnam
    sync(
        client,
        item(session, "T1", "late", at=tapped),
        item(session, "T1", "present", at=tapped - timedelta(minutes=1)),
        item(session, "T2", "present", at=tapped),
    )
    arrived = db.session.scalar(select(DeviceSubmission.received_at).limit(1))
    client.post("/logout")
    login_as("admin")
    page = client.get("/admin/audit?action=sync").get_data(as_text=True)
    local = arrived.replace(tzinfo=arrived.tzinfo or UTC).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert ": Muộn ở buổi" in page and "trên máy tính bảng lúc 29/11/2026 09:05:09" in page
    assert f"đến máy chủ lúc {local:%d/%m/%Y %H:%M}" in page
    assert page.count("trên máy tính bảng lúc") == 3
    assert "bị thay bằng lượt điểm danh sau hơn" in page  # the earlier tap, kept in the log
    assert "bị từ chối (không còn trong danh sách)" in page
    assert '<option value="sync.attendance">' in page  # a kind of the filter
    english = client.get("/admin/audit?action=sync&lang=en").get_data(as_text=True)
    assert "on a tablet at 29/11/2026 09:05:09; it reached the server at" in english
