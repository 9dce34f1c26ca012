"""Findings 14.5 and 14.6: a teacher sees a session and their own enrolment only, and
check-in links answer as for a missing session unless the teacher is on the roster."""

import re

import pytest

from trainer.accounts.services import issue_token

from .. import factories
from .own_context import own_context  # noqa: F401  (fixture)
from .sessions_h import running_session

pytestmark = pytest.mark.usefixtures("own_context")


@pytest.fixture
def classroom(db, tree):
    """Three teachers of one school on one session; the first has an account."""
    people = [
        factories.make_staff(tree["DB-A-S1"], name, staff_code=code)
        for code, name in (
            ("T1", "Nguyễn Tiến Thắng"),
            ("T2", "Quàng Văn Đức"),
            ("T3", "Lò Thị Hương"),
        )
    ]
    user = factories.make_user("teacher", tree["DB-A-S1"], staff=people[0])
    session = running_session(tree["DB-A-S1"], people)
    db.session.commit()
    return user, session


def test_api_session_detail_shows_a_teacher_only_their_own_enrolment(client, db, classroom):
    user, session = classroom
    token = issue_token(user)
    db.session.commit()
    body = client.get(
        f"/api/v1/sessions/{session.id}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert body["title"] == "Tin học cơ bản" and body["enrolled"] == 3
    assert body["enrollments"] == [
        {"staff_code": "T1", "full_name": "Nguyễn Tiến Thắng", "status": None}
    ]


def test_api_session_detail_shows_a_trainer_the_roster(client, db, tree, classroom):
    _user, session = classroom
    token = issue_token(factories.make_user("trainer", tree["DB-A"]))
    db.session.commit()
    body = client.get(
        f"/api/v1/sessions/{session.id}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    # in Vietnamese order, by given name: Đức, Hương, Thắng
    assert [e["staff_code"] for e in body["enrollments"]] == ["T2", "T3", "T1"]


def test_session_page_shows_a_teacher_only_their_own_enrolment(client, classroom):
    user, session = classroom
    client.post("/login", data={"identifier": "T1", "password": factories.PASSWORD})
    page = client.get(f"/sessions/{session.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Nguyễn Tiến Thắng" in text
    # random tokens (CSRF, CSP nonce) may hold "T2" by chance: look at everything else
    text = re.sub(r'"[A-Za-z0-9_.+/=-]{20,}"', '""', text)
    for hidden in ("Quàng Văn Đức", "Lò Thị Hương"):
        assert hidden not in text, hidden
    # staff codes as whole words: the page's timestamps ("…-29T20:16:30") hold "T2" after 20:00
    for code in ("T2", "T3"):
        assert not re.search(rf"\b{code}\b", text), code


def test_checkin_outside_the_roster_answers_as_missing(client, db, tree, classroom):
    user, own = classroom
    stranger = factories.make_staff(tree["DB-B-S1"], "Giáo Viên Xa")
    far = running_session(tree["DB-B-S1"], [stranger], title="Buổi ở huyện khác")
    near = running_session(
        tree["DB-A-S1"],
        [],
        title="Buổi cùng trường",
        trainer=factories.make_staff(tree["DB-A-S1"], "Khác", "it_teacher"),
    )
    client.post("/login", data={"identifier": "T1", "password": factories.PASSWORD})
    missing = client.get("/checkin/999999/abcdef")
    assert missing.status_code == 404
    for session in (far, near):
        answer = client.get(f"/checkin/{session.id}/abcdef")
        assert answer.status_code == 404
        same_page = answer.get_data(as_text=True).replace(
            f"/checkin/{session.id}/", "/checkin/999999/"
        )
        assert same_page == missing.get_data(as_text=True)
    assert client.get(f"/checkin/{own.id}/abcdef").status_code == 409  # enrolled: a wrong code
