"""Session lists at scale: upcoming first with the past a click away, page numbers and a jump,
filters that remember themselves, status labels, the week view on the user's own unit."""

import re

from trainer.pagination import Page
from trainer.training.forms import LOCAL

from .. import factories
from .test_views import sign_in, trainer_user


def titles(html):
    return re.findall(r"(Buổi [A-Z])", html)


def test_page_numbers_leave_out_the_middle():
    page = Page(items=[], page=8, per_page=50, total=314 * 50)
    assert page.window() == [1, None, 6, 7, 8, 9, 10, None, 314]
    assert Page(items=[], page=1, per_page=50, total=150).window() == [1, 2, 3]
    assert Page(items=[], page=3, per_page=50, total=200).window() == [1, 2, 3, 4]


def test_upcoming_first_and_the_past_newest_first(client, db, tree, trainer_staff, make_session):
    make_session(start=-72, title="Buổi A")  # three days ago
    make_session(start=-24, title="Buổi B")  # yesterday
    make_session(start=48, title="Buổi C")  # the day after tomorrow
    make_session(start=1, title="Buổi D")  # in an hour
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    upcoming = client.get("/sessions").get_data(as_text=True)
    assert titles(upcoming) == ["Buổi D", "Buổi C"]
    assert 'aria-current="page">Sắp tới' in upcoming
    past = client.get("/sessions?when=past").get_data(as_text=True)
    assert titles(past) == ["Buổi B", "Buổi A"]
    every = client.get("/sessions?when=all").get_data(as_text=True)
    assert titles(every) == ["Buổi C", "Buổi D", "Buổi B", "Buổi A"]


def test_status_filter_shows_labels_not_codes(client, db, tree, trainer_staff):
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    html = client.get("/sessions").get_data(as_text=True)
    assert re.search(r'<option value="cancelled">Đã hủy</option>', html)
    assert ">cancelled<" not in html and ">scheduled<" not in html


def test_filters_remember_themselves_until_cleared(client, db, tree, trainer_staff, make_session):
    make_session(start=24, title="Buổi A")
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    assert client.get("/sessions?status=cancelled&when=upcoming").status_code == 200
    back = client.get("/sessions")
    assert back.status_code == 302
    assert "status=cancelled" in back.location and "when=upcoming" in back.location
    assert titles(client.get(back.location).get_data(as_text=True)) == []
    # the form sent with every field empty forgets them
    client.get("/sessions?status=&org=")
    assert client.get("/sessions").status_code == 200
    client.get("/sessions?status=cancelled")
    assert client.get("/sessions?reset=1").status_code == 302
    assert titles(client.get("/sessions").get_data(as_text=True)) == ["Buổi A"]


def test_many_pages_have_numbers_and_a_jump(client, db, tree, trainer_staff, make_session, app):
    app.config["PAGE_SIZE"] = 2
    for i in range(17):
        make_session(start=24 + 3 * i, title=f"Buổi {chr(65 + i)}")
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    html = client.get("/sessions?when=upcoming&page=5").get_data(as_text=True)
    assert titles(html) == ["Buổi I", "Buổi J"]
    assert '<span aria-current="page">5</span>' in html
    for number in (1, 3, 4, 6, 7, 9):
        assert f"page={number}" in html
    assert "page=8" not in html  # left out: 1 … 3 4 5 6 7 … 9
    assert 'name="page" type="number"' in html and 'max="9"' in html
    assert '<input type="hidden" name="when" value="upcoming">' in html


def test_the_week_shows_the_users_unit_by_default(client, db, tree, trainer_staff, make_session):
    a = make_session(start=24, title="Buổi A", venue="DB-A-S1")
    other = factories.make_staff(tree["DB-B-S1"], "Vì Văn Dạy", "it_teacher", staff_code="GV2")
    make_session(start=24, title="Buổi B", venue="DB-B-S1", trainer=other)
    factories.make_user("manager", tree["DB"], email="sgd@example.vn")
    factories.make_user("manager", tree["DB-A"], email="pgd@example.vn")
    db.session.commit()
    start = a.starts_at.astimezone(LOCAL).date().isoformat()
    sign_in(client, "pgd@example.vn")  # a head of DB-A: their unit is their whole scope
    assert titles(client.get(f"/sessions/week?start={start}").get_data(as_text=True)) == ["Buổi A"]
    client.post("/logout")
    sign_in(client, "sgd@example.vn")  # the province's head, whose user sits in the province
    province = client.get(f"/sessions/week?start={start}").get_data(as_text=True)
    assert sorted(titles(province)) == ["Buổi A", "Buổi B"]
    one = client.get(f"/sessions/week?start={start}&org=DB-B").get_data(as_text=True)
    assert titles(one) == ["Buổi B"] and 'value="DB-B"' in one
    everything = client.get(f"/sessions/week?start={start}&org=all").get_data(as_text=True)
    assert sorted(titles(everything)) == ["Buổi A", "Buổi B"]
    assert client.get(f"/sessions/week?start={start}&org=NO-SUCH").status_code == 404


def test_a_cancelled_session_offers_nothing_more_to_record(
    client, db, tree, trainer_staff, teachers, make_session
):
    from trainer.training import services

    session = make_session(start=-1, hours=3, capacity=10)
    services.enroll(session, teachers[:1])
    trainer_user(db, tree, trainer_staff)
    db.session.commit()
    sign_in(client, "gv@example.vn")
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "checkin-code" in page and "data-confirm=" in page  # cancelling asks first
    client.post(f"/sessions/{session.id}/cancel")
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    for path in ("checkin-code", "attendance/sheet", "/results", "/edit"):
        assert f"/sessions/{session.id}/{path.lstrip('/')}" not in page
    for path in ("checkin-code", "attendance/sheet", "results"):
        answer = client.get(f"/sessions/{session.id}/{path}")
        assert answer.status_code == 302 and answer.location.endswith(f"/sessions/{session.id}")
    assert "không còn gì để ghi nhận" in client.get(f"/sessions/{session.id}").get_data(
        as_text=True
    )
    client.post(f"/sessions/{session.id}/results", data={"score-T1": "90"})
    from trainer.curriculum.models import Result

    assert db.session.query(Result).count() == 0


def test_the_trainers_home_lists_requests_waiting(
    client, db, tree, trainer_staff, teachers, make_session
):
    from trainer.training import services

    mine = make_session(start=24, title="Buổi A", capacity=10)
    other_trainer = factories.make_staff(tree["DB-A-S1"], "Vì Văn Dạy", "it_teacher")
    theirs = make_session(start=30, title="Buổi B", trainer=other_trainer)
    services.request_place(mine, teachers[0])
    services.request_place(theirs, teachers[1])
    trainer_user(db, tree, trainer_staff)
    db.session.commit()
    sign_in(client, "gv@example.vn")
    home = client.get("/home").get_data(as_text=True)
    assert teachers[0].full_name in home and teachers[1].full_name not in home
    request_id = re.search(r"/requests/(\d+)/decide", home).group(1)
    client.post(f"/requests/{request_id}/decide", data={"decision": "accept"})
    home = client.get("/home").get_data(as_text=True)
    assert teachers[0].full_name not in home
    assert "Không có giáo viên nào đang chờ" in home


def test_a_teacher_sees_their_sessions_as_cards_without_filters(
    client, db, tree, teachers, make_session
):
    from trainer.training import services

    session = make_session(start=24, title="Buổi A", capacity=10)
    services.enroll(session, teachers[:1])
    factories.make_user("teacher", tree["DB-A-S1"], staff=teachers[0])
    db.session.commit()
    sign_in(client, "T1")
    page = client.get("/sessions").get_data(as_text=True)
    assert "Buổi học của tôi" in page and 'class="card session-card' in page
    assert titles(page) == ["Buổi A"]
    assert 'class="filters' not in page and "<table" not in page
    past = client.get("/sessions?when=past").get_data(as_text=True)
    assert titles(past) == [] and "Chưa có buổi học nào" in past
