"""A session's results form reopens with the scores entered, and correcting one replaces it:
nothing duplicated, nothing mistyped kept, the correction audited."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from trainer.audit import AuditEntry
from trainer.curriculum.models import Result
from trainer.training import services
from trainer.training.sync import apply_result

from .test_views import sign_in, trainer_user


def results(db):
    return {
        (r.staff.staff_code, str(r.score).rstrip("0").rstrip("."))
        for r in db.session.scalars(select(Result))
    }


def test_reopen_then_correct_one_score(client, db, tree, trainer_staff, teachers, make_session):
    session = make_session(start=-48, capacity=10)
    services.enroll(session, teachers[:3])
    db.session.commit()
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    url = f"/sessions/{session.id}/results"
    assert client.post(url, data={"score-T1": "82", "score-T2": "45,5"}).status_code == 302
    form = client.get(url).get_data(as_text=True)
    assert 'name="score-T1" id="score-T1" value="82"' in form
    assert 'name="score-T2" id="score-T2" value="45.5"' in form
    assert 'name="score-T3" id="score-T3" value=""' in form
    # T2's 45.5 was a typing mistake for 85.5; T1 is sent again unchanged
    assert client.post(url, data={"score-T1": "82", "score-T2": "85.5"}).status_code == 302
    assert results(db) == {("T1", "82"), ("T2", "85.5")}
    assert db.session.scalar(select(func.count()).select_from(Result)) == 2
    correction = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "result.correct"))
    assert correction.details["old"] == "45.50" and correction.details["new"] == "85.5"
    assert (
        db.session.scalar(select(func.count()).where(AuditEntry.action == "result.correct")) == 1
    )  # the unchanged 82 was not "corrected"


def test_a_wrong_score_changes_nothing_on_a_reopened_form(
    client, db, tree, trainer_staff, teachers, make_session
):
    session = make_session(start=-48, capacity=10)
    services.enroll(session, teachers[:2])
    db.session.commit()
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    url = f"/sessions/{session.id}/results"
    client.post(url, data={"score-T1": "70"})
    response = client.post(url, data={"score-T1": "90", "score-T2": "130"})
    assert response.status_code == 422
    assert results(db) == {("T1", "70")}


def test_an_offline_score_is_dated_by_the_sessions_day_in_vietnam(
    db, tree, trainer_staff, teachers, make_session, app
):
    # 23:30 UTC on 1 March is 06:30 on 2 March in Vietnam
    session = make_session(start=-48)
    session.starts_at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    session.ends_at = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    services.enroll(session, teachers[:1])
    db.session.commit()
    user = trainer_user(db, tree, trainer_staff)
    apply_result(session, teachers[0], {"score": "77"}, user)
    apply_result(session, teachers[0], {"score": "77"}, user)  # sent twice: one result
    db.session.commit()
    stored = db.session.scalars(select(Result)).all()
    assert [(r.assessed_on.isoformat(), str(r.score)) for r in stored] == [("2026-03-02", "77.00")]
