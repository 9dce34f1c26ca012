"""The tablet's download, the session page's markup (SPEC §9), the cards, the app's files."""

import re

from trainer.training import services
from trainer.training.checkin_keys import CheckinKey

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


def test_the_download_holds_the_coming_fortnight(
    app, client, db, tree, make_session, teachers, trainer_staff
):
    running = make_session(start=-1, title="Đang diễn ra")
    soon = make_session(start=24 * 13, title="Tuần sau")
    make_session(start=24 * 15, title="Quá xa")
    make_session(start=-30, title="Đã qua")
    cancelled = make_session(start=48, title="Đã hủy")
    services.cancel_session(cancelled)
    services.enroll(running, teachers[:2])
    services.record_attendance(running, teachers[0], "late")
    user = factories.make_user("trainer", tree["DB-A"], staff=trainer_staff)
    db.session.commit()
    sign_in(client, user)
    response = client.get("/sessions/offline.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    bundle = response.get_json()
    assert [s["title"] for s in bundle["sessions"]] == ["Đang diễn ra", "Tuần sau"]
    first = bundle["sessions"][0]
    assert first["module"]["code"] == "IU01" and first["module"]["pass_score"] == 50
    assert {(p["staff_code"], p["status"]) for p in first["roster"]} == {
        ("T1", "late"),
        ("T2", None),
    }
    key = CheckinKey.from_config(app.config)
    assert bundle["checkin_key"] == {"kid": key.kid, "public_key": key.public_b64}
    assert f"/sessions/{running.id}" in bundle["pages"]
    assert f"/sessions/{soon.id}/results" in bundle["pages"]
    assert any(a.startswith("/static/js/vendor/jsQR.js?v=") for a in bundle["assets"])
    for asset in bundle["assets"]:  # every file the offline pages need exists
        assert client.get(asset).status_code == 200, asset


def test_the_download_holds_the_colleagues_sessions_at_the_trainers_school(
    client, db, tree, make_session, trainer_staff
):
    """The school's one tablet marks a colleague's session too (the trainer may manage it);
    a session elsewhere in the trainer's district, led by someone else, stays off the device."""
    colleague = factories.make_staff(tree["DB-A-S1"], "Cà Văn Dạy", "it_teacher", staff_code="GV2")
    elsewhere = factories.make_staff(tree["DB-A-S2"], "Lò Văn Xa", "it_teacher", staff_code="GV3")
    mine = make_session(start=3, title="Của tôi", venue="DB-A-S2")
    theirs = make_session(start=-1, title="Của đồng nghiệp", trainer=colleague)
    make_session(start=5, title="Trường khác", trainer=elsewhere, venue="DB-A-S2")
    user = factories.make_user("trainer", tree["DB-A"], staff=trainer_staff)
    db.session.commit()
    sign_in(client, user)
    bundle = client.get("/sessions/offline.json").get_json()
    assert [s["title"] for s in bundle["sessions"]] == ["Của đồng nghiệp", "Của tôi"]
    assert f"/sessions/{theirs.id}" in bundle["pages"] and f"/sessions/{mine.id}" in bundle["pages"]
    for page in bundle["pages"]:  # every downloaded page opens for this trainer
        assert client.get(page).status_code == 200, page


def test_the_download_is_for_those_who_mark(client, db, login_as):
    login_as("manager")
    assert client.get("/sessions/offline.json").status_code == 404
    client.post("/logout")
    assert client.get("/sessions/offline.json").status_code == 401


def test_session_page_markup_is_the_contract(
    app, client, db, tree, make_session, teachers, trainer_staff
):
    session = make_session(start=-1, capacity=5)
    services.enroll(session, teachers[:3])
    services.record_attendance(session, teachers[1], "excused")
    user = factories.make_user("trainer", tree["DB-A"], staff=trainer_staff)
    db.session.commit()
    sign_in(client, user)
    html = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    rows = re.findall(r'<li [^>]*data-staff-code="([^"]+)"', html)
    assert sorted(rows) == ["T1", "T2", "T3"]
    buttons = re.findall(r'<button type="submit" name="status" value="(\w+)"', html)
    assert buttons == ["present", "late", "excused", "absent"] * 3
    assert 'data-checkin-key="' + CheckinKey.from_config(app.config).public_b64 in html
    # the buttons post as ordinary forms too (no script)
    response = client.post(
        f"/sessions/{session.id}/attendance", data={"staff_code": "T3", "status": "absent"}
    )
    assert response.status_code == 302 and response.location.endswith("#p-T3")


def test_a_teacher_has_a_card_that_the_key_verifies(app, client, db, tree):
    teacher = factories.make_staff(tree["DB-A-S1"], "Lò Thị Hương", staff_code="DB000123")
    user = factories.make_user("teacher", tree["DB-A-S1"], staff=teacher)
    db.session.commit()
    sign_in(client, user)
    assert "/me/card" in client.get("/home").get_data(as_text=True)
    html = client.get("/me/card").get_data(as_text=True)
    assert "Lò Thị Hương" in html and 'src="data:image/svg+xml' in html
    key = CheckinKey.from_config(app.config)
    card = key.card("DB000123")
    assert key.staff_code_of(card) == "DB000123"
    statement, _dot, signature = card.rpartition(".")
    assert key.staff_code_of(statement.replace("DB000123", "DB000124") + "." + signature) is None
    assert key.staff_code_of(card[:-2] + ("AA" if card[-2:] != "AA" else "BB")) is None
    assert key.staff_code_of("TRC1.x.DB000123." + signature) is None
    other = CheckinKey("A" * 43)
    assert other.staff_code_of(card) is None


def test_development_keeps_the_key_in_the_instance_folder(tmp_path):
    from trainer.training.checkin_keys import configure

    first, second = {"TRAINER_ENV": "development"}, {"TRAINER_ENV": "development"}
    configure(first, tmp_path)
    configure(second, tmp_path)
    assert (tmp_path / "checkin_signing_key").read_text() == first["CHECKIN_SIGNING_KEY"]
    assert second["CHECKIN_SIGNING_KEY"] == first["CHECKIN_SIGNING_KEY"]
    given = {"TRAINER_ENV": "development", "CHECKIN_SIGNING_KEY": "B" * 43}
    configure(given, tmp_path)
    assert given["CHECKIN_SIGNING_KEY"] == "B" * 43


def test_production_derives_the_key_from_the_secret():
    from trainer.training.checkin_keys import configure

    first, second = {"SECRET_KEY": "s3cret"}, {"SECRET_KEY": "s3cret"}
    configure(first, "/nonexistent")
    configure(second, "/nonexistent")
    assert first["CHECKIN_SIGNING_KEY"] == second["CHECKIN_SIGNING_KEY"]
    other = {"SECRET_KEY": "another"}
    configure(other, "/nonexistent")
    assert other["CHECKIN_SIGNING_KEY"] != first["CHECKIN_SIGNING_KEY"]
    CheckinKey.from_config(first)  # a valid Ed25519 seed


def test_service_worker_and_manifest(client, db):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    assert b"trainer-pages" in worker.data
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    assert manifest.get_json()["start_url"] == "/home"
    # Android installs with PNG icons of 192 and 512 px: each is served and has its size
    from io import BytesIO

    from PIL import Image

    pngs = {i["sizes"]: i["src"] for i in manifest.get_json()["icons"] if i["type"] == "image/png"}
    assert set(pngs) == {"192x192", "512x512"}
    for sizes, src in pngs.items():
        icon = client.get(src)
        assert icon.status_code == 200
        width, height = Image.open(BytesIO(icon.data)).size
        assert f"{width}x{height}" == sizes


def test_offline_scripts_stay_light(client, db, tree, make_session, teachers, trainer_staff):
    """Item 7: the service worker and the scripts a trainer's pages load for the offline app
    weigh at most 60 kB, as served (uncompressed) and gzipped (``bench/offline_weight.py``)."""
    import gzip

    from bench.offline_weight import BUDGET, offline_scripts

    session = make_session(start=-1)
    services.enroll(session, teachers[:2])
    user = factories.make_user("trainer", tree["DB-A"], staff=trainer_staff)
    db.session.commit()
    sign_in(client, user)
    pages = ["/home", f"/sessions/{session.id}", f"/sessions/{session.id}/results"]
    files = offline_scripts(client, pages)
    names = {url.split("?")[0].rsplit("/", 1)[1] for url in files}
    assert {"sw.js", "offline.js", "attendance.js", "scan.js", "results.js"} <= names, names
    assert "manifest.webmanifest" in names and "home (offline markup)" in names
    assert not names & {"jsQR.js", "nacl.min.js"}  # those come with the download only
    assert sum(len(data) for data in files.values()) <= BUDGET
    assert sum(len(gzip.compress(data, 6)) for data in files.values()) <= BUDGET


def test_page_titles_hold_text_only(client, db, tree, make_session, trainer_staff):
    session = make_session(start=-1)
    user = factories.make_user("trainer", tree["DB-A"], staff=trainer_staff)
    db.session.commit()
    sign_in(client, user)
    for page in (f"/sessions/{session.id}", f"/sessions/{session.id}/results", "/home"):
        html = client.get(page).get_data(as_text=True)
        assert re.search(r"<title>[^<]*</title>", html), page
