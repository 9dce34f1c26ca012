"""N+1 guards: the heavy pages run as many SQL queries for many rows as for few."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from trainer.certificates.models import Certificate
from trainer.curriculum import services as curriculum
from trainer.curriculum.models import Module
from trainer.training import services as training

from . import factories
from .databases import app_statement


@contextmanager
def counting(db):
    statements = []

    def listener(conn, cursor, statement, params, context, executemany):
        if app_statement(statement):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def queries_for(client, db, path):
    # the test's app context (and its session) is shared with the request: start cold
    db.session.expire_all()
    with counting(db) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def add_people(db, tree, count, *, certify=False):
    for i in range(count):
        unit = tree["DB-A-S1"] if i % 2 else tree["DB-B-S1"]
        person = factories.make_staff(unit, f"Người {count} {i}")
        if certify:
            db.session.add(
                Certificate(
                    number=f"Q{count}-{i}",
                    issuer_key="X",
                    issuer="X",
                    external=True,
                    staff_id=person.id,
                    level_id=1,
                    issued_on=datetime.now(UTC).date(),
                )
            )
    db.session.commit()


@pytest.mark.parametrize("path", ["/staff", "/coverage", "/org/DB", "/coverage/uncertified"])
def test_pages_do_not_grow_with_rows(client, login_as, db, tree, path):
    login_as("admin")
    add_people(db, tree, 3, certify=True)
    few = queries_for(client, db, path)
    add_people(db, tree, 30, certify=True)
    many = queries_for(client, db, path)
    assert many == few, f"{path}: {few} queries with few rows, {many} with many"


def test_session_page_does_not_grow_with_the_roster(client, db, tree, login_as):
    login_as("admin")
    trainer = factories.make_staff(tree["DB-A-S1"], "Lò Văn Giảng", "it_teacher")
    module = db.session.scalar(select(Module).where(Module.code == "IU01"))
    start = datetime.now(UTC) + timedelta(days=2)
    small = training.create_session(
        module=module,
        title="Nhỏ",
        trainer=trainer,
        venue=tree["DB-A-S1"],
        location="",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=50,
    )
    big = training.create_session(
        module=module,
        title="Lớn",
        trainer=trainer,
        venue=tree["DB-A-S1"],
        location="",
        starts_at=start + timedelta(days=1),
        ends_at=start + timedelta(days=1, hours=2),
        capacity=50,
    )
    people = [factories.make_staff(tree["DB-A-S2"], f"Học Viên {i}") for i in range(40)]
    training.enroll(small, people[:2])
    training.enroll(big, people)
    db.session.commit()
    assert queries_for(client, db, f"/sessions/{big.id}") == queries_for(
        client, db, f"/sessions/{small.id}"
    )


def test_bulk_issue_and_render_do_not_grow_with_the_certificates(app, db, tree, tmp_path):
    """Issuing to a whole district and rendering the PDFs: the same queries for 2 or 20
    people (one issuing-profile lookup per school, one reload of the committed rows)."""
    from datetime import date

    from trainer.certificates import services
    from trainer.certificates.request_helpers import render_stored
    from trainer.curriculum.models import CertificateLevel

    app.config["CERTIFICATE_STORE"] = str(tmp_path)
    modules = {m.code: m for m in db.session.scalars(select(Module))}
    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))

    def issue(unit, count):
        for i in range(count):
            person = factories.make_staff(tree[unit], f"Người Đạt {unit} {i}")
            for code in ("IU01", "IU02", "IU03", "IU04", "IU05", "IU06"):
                curriculum.record_result(person, modules[code], 80, date(2026, 1, 10))
        db.session.commit()
        with app.test_request_context(), counting(db) as statements:
            certs = services.issue_bulk(tree[unit], basic)
            db.session.commit()  # as the views do: the rows expire here
            render_stored(certs)
        assert len(certs) == count
        return len(statements)

    assert issue("DB-A-S1", 20) == issue("DB-B-S1", 2)
