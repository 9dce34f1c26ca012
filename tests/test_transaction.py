"""One transaction per request: views only flush; the request commits on success and rolls
back on any error, on both databases."""

from datetime import UTC, datetime, timedelta

from flask import jsonify
from sqlalchemy import event, func, select
from sqlalchemy.engine import Connection

from trainer.errors import Conflict
from trainer.extensions import db as _db
from trainer.org.models import OrgUnit
from trainer.training import services
from trainer.training.models import TrainingSession

from . import factories


def add_test_routes(app):
    """Views that write and flush but never commit; one of them fails after its flush."""

    def write():
        factories.make_unit("NEW", "Trường mới")
        _db.session.flush()
        return "written"

    def write_then_fail():
        write()
        raise Conflict("something_clashed")

    def write_then_answer_an_error():
        write()
        return jsonify(error="nope"), 409

    app.add_url_rule("/_t/write", "t_write", write, methods=["POST"])
    app.add_url_rule("/_t/fail", "t_fail", write_then_fail, methods=["POST"])
    app.add_url_rule("/api/v1/_t/fail", "t_api_fail", write_then_fail, methods=["POST"])
    app.add_url_rule("/_t/error", "t_error", write_then_answer_an_error, methods=["POST"])


def units_named_new(db):
    db.session.rollback()  # whatever the request left uncommitted is gone now
    return db.session.scalar(select(func.count()).select_from(OrgUnit).where(OrgUnit.code == "NEW"))


def test_a_view_that_does_not_commit_still_persists(app, db, client):
    add_test_routes(app)
    assert client.post("/_t/write").status_code == 200
    assert units_named_new(db) == 1


def test_a_domain_error_after_a_flush_writes_nothing(app, db, client):
    add_test_routes(app)
    response = client.post("/_t/fail", headers={"Referer": "http://localhost/some/form?x=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/some/form?x=1"  # back to the form
    assert units_named_new(db) == 0


def test_an_api_domain_error_after_a_flush_writes_nothing(app, db, client):
    add_test_routes(app)
    response = client.post("/api/v1/_t/fail")
    assert response.status_code in (401, 409)  # refused before or after the write
    assert units_named_new(db) == 0


def test_an_error_answer_rolls_back(app, db, client):
    add_test_routes(app)
    assert client.post("/_t/error").status_code == 409
    assert units_named_new(db) == 0


def test_a_real_view_persists_without_committing(app, db, client, login_as, tree):
    trainer = login_as("trainer")
    from trainer.curriculum.models import Module

    module = db.session.scalar(select(Module).where(Module.code == "IU01"))
    start = datetime.now(UTC) + timedelta(days=2)
    session = services.create_session(
        module=module,
        title="Buổi học",
        trainer=trainer.staff,
        venue=tree["DB-A-S1"],
        location="",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=5,
    )
    db.session.commit()
    assert client.post(f"/sessions/{session.id}/cancel").status_code == 302
    db.session.rollback()
    assert db.session.get(TrainingSession, session.id).status == "cancelled"


def test_a_series_failing_in_its_third_week_writes_none_of_it(app, db, client, login_as, tree):
    from trainer.curriculum.models import Module

    trainer = login_as("trainer")
    module = db.session.scalar(select(Module).where(Module.code == "IU01"))
    # the third week of the series clashes with a session already booked then
    start = datetime(2030, 3, 18, 1, 0, tzinfo=UTC)
    services.create_session(
        module=module,
        title="Đã có",
        trainer=trainer.staff,
        venue=tree["DB-A-S1"],
        location="",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=5,
    )
    db.session.commit()
    response = client.post(
        "/sessions/new",
        data={
            "module": module.id,
            "title": "Chuỗi",
            "trainer": trainer.staff.id,
            "venue": "DB-A-S1",
            "day": "2030-03-04",
            "start": "08:00",
            "end": "10:00",
            "capacity": "25",
            "weeks": "3",
            "late_after_minutes": "10",
        },
    )
    assert response.status_code == 422
    db.session.rollback()
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(TrainingSession)
            .where(TrainingSession.title == "Chuỗi")
        )
        == 0
    )


def test_the_api_token_use_is_saved_by_the_request_not_before(app, db, client, tree):
    from trainer.accounts.models import ApiToken
    from trainer.accounts.services import issue_token

    user = factories.make_user("manager", tree["DB-A"])
    token = issue_token(user)
    db.session.commit()
    assert (
        client.get(
            "/api/v1/orgunits/DB-A", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 200
    )
    db.session.rollback()
    assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_each_test_runs_in_a_transaction_that_is_rolled_back(app, db):
    """Issue 13 item 9: the suite isolates tests by a rolled-back transaction, not by
    deleting every table. The app's commit only releases a SAVEPOINT on the test's one
    connection: the outer transaction stays open and no other connection sees the row."""
    bind = db.session.get_bind()
    assert isinstance(bind, Connection) and bind.in_transaction()
    statements = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement.strip().upper())

    event.listen(bind, "before_cursor_execute", seen)
    try:
        factories.make_unit("ISOLATED", "Trường tách biệt")
        db.session.commit()
    finally:
        event.remove(bind, "before_cursor_execute", seen)
    assert any(s.startswith("RELEASE SAVEPOINT") for s in statements), statements
    assert bind.in_transaction()  # the commit did not end the test's transaction
    with db.engine.connect() as other:
        found = other.scalar(
            select(func.count()).select_from(OrgUnit).where(OrgUnit.code == "ISOLATED")
        )
    assert found == 0


def test_request_handlers_commit_or_roll_back_only_with_a_reason():
    """Issue 13 item 5's Done when, wider than its grep: in every view module, the API and
    the sync handler, each ``commit()``/``rollback()`` says ``# commit-before: <why>``."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "trainer"
    handlers = [
        *root.glob("*/*views.py"),
        *(root / "api").glob("*.py"),
        root / "training" / "sync_handler.py",
    ]
    unexplained = [
        f"{path.relative_to(root)}:{number}"
        for path in handlers
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.(commit|rollback)\(\)", line) and "# commit-before:" not in line
    ]
    assert len(handlers) > 20 and unexplained == []
