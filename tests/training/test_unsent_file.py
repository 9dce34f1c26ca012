"""Files of unsent marks ("Xuất dữ liệu chưa gửi"): signed on the tablet with the user's export
key, loaded by another device or an admin through the same idempotent sync."""

import io
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from trainer.audit import AuditEntry
from trainer.training.checkin_keys import CheckinKey, ExportKey, b64, unb64
from trainer.training.sync_models import DeviceSubmission

from .. import factories
from .test_sync import audit_count, item, setup, sign_in, status_of, sync


def signed_file(seed_b64, user_id, items, *, payload_edit=None):
    """What offline.js saves: the payload's UTF-8 bytes signed with the export key's seed."""
    payload = json.dumps(
        {
            "user_id": user_id,
            "user_name": "x",
            "exported_at": "2026-01-01T00:00:00Z",
            "items": items,
        },
        ensure_ascii=False,
    )
    signature = Ed25519PrivateKey.from_private_bytes(unb64(seed_b64)).sign(payload.encode())
    if payload_edit:
        payload = payload_edit(payload)
    return json.dumps(
        {"format": "trainer-unsent/1", "payload": payload, "signature": b64(signature)}
    ).encode()


def load(client, data, name="du-lieu-chua-gui.json"):
    return client.post(
        "/sessions/unsent-file",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def submissions(db):
    return db.session.scalar(select(func.count()).select_from(DeviceSubmission))


def test_the_device_gets_its_users_key_with_the_download_and_the_sync(
    app, client, db, tree, make_session, teachers, trainer_staff
):
    _session, user = setup(db, tree, make_session, teachers, trainer_staff)
    sign_in(client, user)
    expected = ExportKey(CheckinKey.from_config(app.config), user.id).seed_b64
    assert client.get("/sessions/offline.json").get_json()["export_key"] == expected
    assert client.get("/sessions/sync").get_json()["export_key"] == expected
    other = ExportKey(CheckinKey.from_config(app.config), user.id + 1)
    assert other.seed_b64 != expected  # one key per user
    client.post("/logout")
    teacher = factories.make_user("teacher", tree["DB-A-S1"], staff=teachers[3])
    db.session.commit()
    sign_in(client, teacher)
    assert "export_key" not in client.get("/sessions/sync").get_json()


def test_an_admin_loads_a_tablets_file_once(
    app, client, db, tree, make_session, teachers, trainer_staff
):
    session, trainer = setup(db, tree, make_session, teachers, trainer_staff)
    seed = ExportKey(CheckinKey.from_config(app.config), trainer.id).seed_b64
    marks = [item(session, "T1", "late"), item(session, "T2", "present")]
    marks.append(item(session, "T3", kind="result", status=None, score=80))
    admin = factories.make_user("admin", tree["DB"])
    db.session.commit()
    sign_in(client, admin)
    response = load(client, signed_file(seed, trainer.id, marks))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "3 được ghi nhận, 0 bị thay bằng lượt điểm danh sau hơn, 0 bị từ chối." in html
    assert trainer.display_name in html
    assert status_of(db, session, teachers[0]) == "late"
    assert status_of(db, session, teachers[1]) == "present"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "sync.attendance"))
    assert entry.user_id == admin.id and entry.details["exported_by"] == trainer.id
    # the same file again, and the tablet sending the same marks later: nothing more
    again = load(client, signed_file(seed, trainer.id, marks)).get_data(as_text=True)
    assert "đã nhận trước đó" in again
    client.post("/logout")
    sign_in(client, trainer)
    answers = sync(client, *marks).get_json()["items"]
    assert all(a["repeat"] for a in answers)
    assert submissions(db) == 3
    assert audit_count(db, "attendance.mark") == 2


def test_an_edited_file_or_another_users_key_is_refused_whole(
    app, client, db, tree, make_session, teachers, trainer_staff
):
    session, trainer = setup(db, tree, make_session, teachers, trainer_staff)
    key = CheckinKey.from_config(app.config)
    seed = ExportKey(key, trainer.id).seed_b64
    colleague = factories.make_user("trainer", tree["DB-A"])
    db.session.commit()
    marks = [item(session, "T1", "absent")]
    sign_in(client, colleague)
    edited = signed_file(
        seed, trainer.id, marks, payload_edit=lambda p: p.replace('"absent"', '"present"')
    )
    claimed = signed_file(ExportKey(key, colleague.id).seed_b64, trainer.id, marks)
    unsigned = json.dumps({"format": "trainer-unsent/1", "payload": "{}", "signature": ""})
    for data, text in (
        (edited, "Tệp đã bị sửa sau khi lưu"),
        (claimed, "Tệp đã bị sửa sau khi lưu"),
        (unsigned.encode(), "Đây không phải tệp dữ liệu chưa gửi"),
        (b"staff_code,status\nT1,present\n", "Đây không phải tệp dữ liệu chưa gửi"),
    ):
        response = load(client, data)
        assert response.status_code == 400 and text in response.get_data(as_text=True)
    assert status_of(db, session, teachers[0]) is None and submissions(db) == 0
    assert load(client, signed_file(seed, trainer.id, marks)).status_code == 200
    assert status_of(db, session, teachers[0]) == "absent"


def test_the_file_is_checked_as_a_sync_by_the_one_who_loads_it(
    app, client, db, tree, make_session, teachers, trainer_staff
):
    session, trainer = setup(db, tree, make_session, teachers, trainer_staff)
    seed = ExportKey(CheckinKey.from_config(app.config), trainer.id).seed_b64
    outsider = factories.make_user("trainer", tree["DB-B"])
    db.session.commit()
    data = signed_file(seed, trainer.id, [item(session, "T1"), item(session, "T4")])
    sign_in(client, outsider)  # another district: the session is not theirs
    html = load(client, data).get_data(as_text=True)
    assert "0 được ghi nhận, 0 bị thay bằng lượt điểm danh sau hơn, 2 bị từ chối." in html
    assert status_of(db, session, teachers[0]) is None
    client.post("/logout")
    sign_in(client, trainer)
    html = load(client, signed_file(seed, trainer.id, [item(session, "T4")])).get_data(as_text=True)
    assert "bị từ chối: no longer enrolled" not in html and "không còn trong danh sách" in html
    for role, unit in (("manager", "DB-A"), ("teacher", "DB-A-S1")):
        client.post("/logout")
        sign_in(client, factories.make_user(role, tree[unit]))
        db.session.commit()
        assert client.get("/sessions/unsent-file").status_code == 404
        assert load(client, data).status_code == 404


def test_the_load_page_is_offered_to_trainers_and_admins(client, db, login_as):
    login_as("trainer")
    assert "/sessions/unsent-file" in client.get("/home").get_data(as_text=True)
    page = client.get("/sessions/unsent-file").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page
    assert load(client, b"").status_code == 400
    client.post("/logout")
    login_as("admin")
    assert "/sessions/unsent-file" in client.get("/home").get_data(as_text=True)
