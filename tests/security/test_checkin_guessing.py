"""Finding 14.4: the 6-digit check-in code cannot be guessed: wrong codes are audited, and
after a few of them self check-in is locked, per user and per session."""

import pytest
from flask import current_app
from sqlalchemy import func, select

from trainer.audit import AuditEntry
from trainer.training.checkin import current_codes
from trainer.training.models import Enrollment

from .. import factories
from .own_context import own_context  # noqa: F401  (fixture)
from .sessions_h import running_session

pytestmark = pytest.mark.usefixtures("own_context")


def wrong(code):
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def failures(db):
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "checkin.failed")
    )


@pytest.fixture
def classroom(app, db, tree):
    app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    people = [
        factories.make_staff(tree["DB-A-S1"], f"Giáo Viên {i}", staff_code=f"T{i}")
        for i in range(1, 9)
    ]
    for person in people:
        factories.make_user("teacher", tree["DB-A-S1"], staff=person)
    session = running_session(tree["DB-A-S1"], people)
    return session


def signed_in(app, code):
    browser = app.test_client()
    assert (
        browser.post(
            "/login", data={"identifier": code, "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    return browser


def test_typed_guesses_are_locked_per_user_and_audited(app, db, classroom):
    short = current_codes(classroom, current_app.config["SECRET_KEY"])[1]
    browser = signed_in(app, "T1")
    answers = [
        browser.post("/checkin", data={"code": f"{n:06d}"})
        for n in range(200)
        if f"{n:06d}" != short
    ][:8]
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 3
    assert "quá nhiều lần" in answers[-1].get_data(as_text=True)
    assert failures(db) == 5  # refused attempts while locked are not new guesses
    # even the right code is refused while locked: guessing cannot go on
    assert browser.post("/checkin", data={"code": short}).status_code == 429
    assert (
        db.session.scalar(
            select(Enrollment.status).where(
                Enrollment.session_id == classroom.id, Enrollment.status.is_not(None)
            )
        )
        is None
    )
    # someone else in the class checks in normally
    other = signed_in(app, "T2")
    assert "Đã điểm danh" in other.post("/checkin", data={"code": short}).get_data(as_text=True)


def test_guesses_through_the_link_are_locked_too(app, db, classroom):
    token = current_codes(classroom, current_app.config["SECRET_KEY"])[0]
    browser = signed_in(app, "T1")
    codes = [browser.get(f"/checkin/{classroom.id}/guess{n}").status_code for n in range(7)]
    assert codes == [409] * 5 + [429] * 2
    assert browser.get(f"/checkin/{classroom.id}/{token}").status_code == 429
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin.failed"))
    assert entry.object_type == "TrainingSession" and entry.object_id == str(classroom.id)


def test_many_accounts_guessing_one_session_lock_it(app, db, classroom):
    app.config["CHECKIN_FAILURES_PER_SESSION"] = 12
    short = current_codes(classroom, current_app.config["SECRET_KEY"])[1]
    statuses = []
    for number in range(1, 5):  # four accounts, four guesses each: none is locked alone
        browser = signed_in(app, f"T{number}")
        statuses += [
            browser.post("/checkin", data={"code": wrong(short)[:5] + str(n)}).status_code
            for n in range(4)
        ]
    assert statuses[:12] == [200] * 12 and statuses[12:] == [429] * 4
    assert failures(db) == 12
    late = signed_in(app, "T8")
    assert late.post("/checkin", data={"code": short}).status_code == 429
