"""Training pages: scheduling, roster, one-tap marks, check-in, sheet, calendars, scope."""

import re
import subprocess

from sqlalchemy import select

from trainer.training import services
from trainer.training.checkin import current_codes
from trainer.training.models import Enrollment, TrainingSession

from .. import factories


def schedule(client, module, trainer, **overrides):
    data = {
        "module": module.id,
        "title": "Soạn thảo văn bản",
        "trainer": trainer.id,
        "venue": "DB-A-S1",
        "location": "Phòng máy 2",
        "day": "2030-03-04",
        "start": "08:00",
        "end": "10:00",
        "capacity": "25",
        "weeks": "1",
        "late_after_minutes": "10",
    }
    data.update(overrides)
    return client.post("/sessions/new", data=data)


def trainer_user(db, tree, trainer_staff, unit="DB-A"):
    user = factories.make_user("trainer", tree[unit], staff=trainer_staff, email="gv@example.vn")
    db.session.commit()
    return user


def sign_in(client, identifier):
    assert (
        client.post(
            "/login", data={"identifier": identifier, "password": factories.PASSWORD}
        ).status_code
        == 302
    )


def test_schedule_a_series_and_see_it_in_the_week(client, db, tree, module, trainer_staff):
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    response = schedule(client, module, trainer_staff, weeks="3")
    assert response.status_code == 302
    sessions = db.session.scalars(select(TrainingSession).order_by(TrainingSession.starts_at)).all()
    assert len(sessions) == 3
    assert sessions[0].starts_at.hour == 1  # 08:00 in Hà Nội is 01:00 UTC
    week = client.get("/sessions/week?start=2030-03-04").get_data(as_text=True)
    assert "Soạn thảo văn bản" in week and "08:00–10:00" in week
    assert "Thứ Hai" in week


def test_overlap_redisplays_the_form_with_the_clash(client, db, tree, module, trainer_staff):
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    schedule(client, module, trainer_staff)
    page = schedule(client, module, trainer_staff, start="09:00", end="11:00", title="Trùng giờ")
    text = page.get_data(as_text=True)
    assert page.status_code == 422  # a failed request: it rolls back
    assert "Giảng viên đã có buổi học trùng giờ: Soạn thảo văn bản (04/03/2030 08:00)" in text
    assert 'value="Trùng giờ"' in text  # what was typed is kept
    assert (
        db.session.scalar(select(TrainingSession).where(TrainingSession.title == "Trùng giờ"))
        is None
    )


def test_end_before_start_is_a_form_error(client, db, tree, module, trainer_staff):
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    page = schedule(client, module, trainer_staff, start="10:00", end="09:00")
    assert "Giờ kết thúc phải sau giờ bắt đầu." in page.get_data(as_text=True)


def test_roster_enrol_mark_and_mark_all(client, db, tree, trainer_staff, make_session, teachers):
    session = make_session(capacity=10)
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    found = client.get(f"/sessions/{session.id}?q=dang+van+duc").get_data(as_text=True)
    assert "Đặng Văn Đức" in found and 'value="T4"' in found
    client.post(f"/sessions/{session.id}/enroll", data={"staff_code": ["T4", "T1"]})
    assert sorted(db.session.scalars(select(Enrollment.staff_id))) == sorted(
        [teachers[0].id, teachers[3].id]
    )
    answer = client.post(
        f"/sessions/{session.id}/attendance",
        data={"staff_code": "T4", "status": "late"},
        headers={"Accept": "application/json"},
    )
    assert answer.is_json and answer.get_json() == {"staff_code": "T4", "status": "late"}
    plain = client.post(
        f"/sessions/{session.id}/attendance", data={"staff_code": "T4", "status": "present"}
    )
    assert plain.status_code == 302 and plain.headers["Location"].endswith("#p-T4")
    client.post(f"/sessions/{session.id}/attendance/all-present")
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert page.count('aria-pressed="true"') == 2
    assert 'src="/static/js/attendance.js?v=' in page


def test_enrolling_a_whole_school_over_capacity_is_refused_whole(
    client, db, tree, trainer_staff, make_session, teachers
):
    session = make_session(capacity=3)
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    response = client.post(
        f"/sessions/{session.id}/enroll", data={"school": "DB-A-S1"}, follow_redirects=True
    )
    assert "Chưa ghi danh ai" in response.get_data(as_text=True)
    assert db.session.scalar(select(Enrollment.id)) is None


def test_trainer_of_another_district_gets_404(client, db, tree, make_session):
    session = make_session()
    other = factories.make_staff(tree["DB-B-S1"], "Giàng A Sử", "it_teacher")
    factories.make_user("trainer", tree["DB-B"], staff=other, email="b@example.vn")
    db.session.commit()
    sign_in(client, "b@example.vn")
    for path in (
        f"/sessions/{session.id}",
        f"/sessions/{session.id}/sheet.pdf",
        f"/sessions/{session.id}/checkin-code",
        f"/sessions/{session.id}.ics",
    ):
        assert client.get(path).status_code == 404, path
    assert (
        client.post(
            f"/sessions/{session.id}/attendance", data={"staff_code": "T1", "status": "present"}
        ).status_code
        == 404
    )
    assert "Tin học cơ bản" not in client.get("/sessions").get_data(as_text=True)


def test_manager_reads_but_cannot_mark(client, db, tree, make_session, teachers, login_as):
    session = make_session()
    services.enroll(session, teachers[:1])
    db.session.commit()
    login_as("manager")
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "Nguyễn Tiến Thắng" in page and "mark-form" not in page
    assert (
        client.post(
            f"/sessions/{session.id}/attendance", data={"staff_code": "T1", "status": "present"}
        ).status_code
        == 404
    )


def test_sign_in_sheet_reads_back(
    client, db, tree, trainer_staff, make_session, teachers, tmp_path
):
    session = make_session(capacity=10)
    services.enroll(session, teachers)
    db.session.commit()
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    response = client.get(f"/sessions/{session.id}/sheet.pdf")
    assert response.mimetype == "application/pdf"
    path = tmp_path / "sheet.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Danh sách ký tên: Tin học cơ bản",
        "Nguyễn Tiến Thắng",
        "Đặng Văn Đức",
        "Quàng Văn Đức",
        "Lò Thị Hương",
        "Trường Tiểu học Sa Lông",
        "Lò Văn Giảng",
        "Ký nhận",
        "IU01",
    ):
        assert expected in text, expected


def test_teacher_checks_in_with_the_qr_link(client, db, tree, make_session, teachers, app):
    session = make_session(start=0, hours=2)  # running now
    services.enroll(session, teachers[:1])
    user = factories.make_user("teacher", tree["DB-A-S1"], staff=teachers[0])
    db.session.commit()
    token = current_codes(session, app.config["SECRET_KEY"])[0]
    link = f"/checkin/{session.id}/{token}"
    assert "/login" in client.get(link).headers["Location"]  # signs in first
    sign_in(client, user.staff.staff_code)
    page = client.get(link)
    assert page.status_code == 200 and "Đã điểm danh" in page.get_data(as_text=True)
    again = client.get(link)
    assert again.status_code == 409
    assert "Bạn đã điểm danh buổi học này rồi." in again.get_data(as_text=True)


def test_typed_code_and_not_enrolled(client, db, tree, make_session, teachers, app):
    session = make_session(start=0, hours=2)
    services.enroll(session, teachers[:1])
    factories.make_user("teacher", tree["DB-A-S1"], staff=teachers[0])
    outsider = factories.make_user("teacher", tree["DB-A-S1"], staff=teachers[1])
    db.session.commit()
    short = current_codes(session, app.config["SECRET_KEY"])[1]
    sign_in(client, outsider.staff.staff_code)
    refused = client.post("/checkin", data={"code": short}).get_data(as_text=True)
    assert "Không buổi học nào của bạn đang có mã này." in refused
    token = current_codes(session, app.config["SECRET_KEY"])[0]
    page = client.get(f"/checkin/{session.id}/{token}")
    assert page.status_code == 404  # not on the roster: as if the session did not exist
    client.post("/logout")
    sign_in(client, "T1")
    assert "Đã điểm danh" in client.post("/checkin", data={"code": short}).get_data(as_text=True)


def test_checkin_code_page_refreshes_itself(client, db, tree, trainer_staff, make_session):
    session = make_session()
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    page = client.get(f"/sessions/{session.id}/checkin-code").get_data(as_text=True)
    assert re.search(r'<meta http-equiv="refresh" content="\d+">', page)
    assert 'src="data:image/svg+xml' in page
    assert re.search(r'class="short-code"[^>]*>\d{3} \d{3}<', page)


def test_ics_and_personal_feed(client, db, tree, trainer_staff, make_session, teachers, app):
    session = make_session()
    services.enroll(session, teachers[:1])
    user = factories.make_user("teacher", tree["DB-A-S1"], staff=teachers[0])
    db.session.commit()
    sign_in(client, user.staff.staff_code)
    ics = client.get(f"/sessions/{session.id}.ics")
    assert ics.mimetype == "text/calendar"
    body = ics.data.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:IU01 · Tin học cơ bản" in body
    with app.test_request_context():
        from trainer.training.calendar import feed_url_for

        url = feed_url_for(user)
    client.post("/logout")
    feed = client.get(url.replace("https://trainer.example.vn", ""))
    assert feed.status_code == 200 and body.count("BEGIN:VEVENT") == 1
    assert "Tin học cơ bản" in feed.data.decode()
    assert client.get("/calendar/forged.ics").status_code == 404


def test_teacher_asks_for_a_place_and_sees_the_answer(
    client, db, tree, trainer_staff, make_session, teachers
):
    session = make_session(venue="DB-A-S2")  # another school of the same district
    user = factories.make_user("teacher", tree["DB-A-S1"], staff=teachers[0])
    db.session.commit()
    sign_in(client, user.staff.staff_code)
    page = client.get("/sessions/available").get_data(as_text=True)
    assert "Tin học cơ bản" in page
    client.post(f"/sessions/{session.id}/request")
    client.post("/logout")
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    detail = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    request_id = re.search(r"/requests/(\d+)/decide", detail).group(1)
    client.post(
        f"/requests/{request_id}/decide", data={"decision": "decline", "reason": "Lớp đã đủ"}
    )
    client.post("/logout")
    sign_in(client, user.staff.staff_code)
    home = client.get("/home").get_data(as_text=True)
    assert "Bị từ chối" in home and "Lớp đã đủ" in home


def test_marks_from_paper_in_one_pass(client, db, tree, trainer_staff, make_session, teachers):
    session = make_session(capacity=10)
    services.enroll(session, teachers[:3])
    db.session.commit()
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    form = client.get(f"/sessions/{session.id}/attendance/sheet").get_data(as_text=True)
    assert form.count('type="radio"') == 12
    client.post(
        f"/sessions/{session.id}/attendance/sheet",
        data={"status-T1": "present", "status-T2": "absent", "status-T3": "excused"},
    )
    marks = dict(db.session.execute(select(Enrollment.staff_id, Enrollment.status)).all())
    assert marks == {teachers[0].id: "present", teachers[1].id: "absent", teachers[2].id: "excused"}
    bad = client.post(f"/sessions/{session.id}/attendance/sheet", data={"status-T1": "sleep"})
    assert bad.status_code == 400
    db.session.expire_all()
    assert (
        db.session.scalar(select(Enrollment.status).where(Enrollment.staff_id == teachers[0].id))
        == "present"
    )


def test_home_shows_the_calendar_feed_address(client, db, tree, teachers):
    user = factories.make_user("teacher", tree["DB-A-S1"], staff=teachers[0])
    db.session.commit()
    sign_in(client, user.staff.staff_code)
    page = client.get("/home").get_data(as_text=True)
    url = re.search(
        r'<code class="feed">https://trainer\.example\.vn(/calendar/[^<]+\.ics)</code>', page
    ).group(1)
    client.post("/logout")
    assert client.get(url).mimetype == "text/calendar"


def test_a_code_typed_as_shown_with_a_space_checks_in(
    client, db, tree, make_session, teachers, app
):
    session = make_session(start=0, hours=2)
    services.enroll(session, teachers[:1])
    factories.make_user("teacher", tree["DB-A-S1"], staff=teachers[0])
    db.session.commit()
    sign_in(client, "T1")
    form = client.get("/checkin").get_data(as_text=True)
    assert 'inputmode="numeric"' in form and "maxlength" not in form  # the phone's digit pad
    wrong = client.post("/checkin", data={"code": "12a 45"}).get_data(as_text=True)
    assert "Nhập 6 chữ số" in wrong
    short = current_codes(session, app.config["SECRET_KEY"])[1]
    shown = f"{short[:3]} {short[3:]}"  # as the trainer's screen shows it
    assert "Đã điểm danh" in client.post("/checkin", data={"code": shown}).get_data(as_text=True)
