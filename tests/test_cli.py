"""The ``trainer`` command through ``runner.invoke``."""

import sqlite3

import pytest
from sqlalchemy import func, select

from trainer.accounts.models import ApiToken, User, hash_token
from trainer.demo.seed import DEMO_PASSWORD
from trainer.org.models import OrgUnit, Staff

from . import factories


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_users_create_admin(runner, db, tree):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Boss@Example.vn",
            "--password",
            "long-password-1",
            "--role",
            "admin",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.vn"))
    assert user.role == "admin" and user.check_password("long-password-1")


def test_users_create_trainer_linked_to_staff(runner, db, tree):
    staff = factories.make_staff(tree["DB-A-S1"], position="it_teacher", staff_code="IT001")
    db.session.commit()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "it@example.vn",
            "--password",
            "long-password-1",
            "--role",
            "trainer",
            "--org",
            "DB-A",
            "--staff",
            "IT001",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "it@example.vn"))
    assert user.staff_id == staff.id and user.org_unit.code == "DB-A"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "boss"], "unknown_role"),
        (["--role", "manager", "--org", "NOPE"], "unknown_org"),
        (["--role", "trainer", "--org", "DB-A", "--staff", "NOPE"], "unknown_staff"),
        (["--role", "manager"], "role_needs_org"),
    ],
)
def test_users_create_refuses_bad_input_and_writes_nothing(runner, db, tree, args, message):
    before = count(db, User)
    result = runner.invoke(
        args=["users", "create", "--email", "x@example.vn", "--password", "long-password-1", *args]
    )
    assert result.exit_code == 1
    assert message in result.output
    db.session.expire_all()
    assert count(db, User) == before


def test_users_create_refuses_short_password(runner, db, tree):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@example.vn",
            "--password",
            "short",
            "--role",
            "admin",
        ]
    )
    assert result.exit_code == 1 and "password_too_short" in result.output


def test_users_token_prints_a_working_token(runner, client, db, tree):
    factories.make_user("admin", tree["DB"], email="api@example.vn")
    db.session.commit()
    result = runner.invoke(args=["users", "token", "api@example.vn"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert db.session.scalar(select(ApiToken.token_hash)) == hash_token(token)
    response = client.get("/api/v1/orgunits/DB", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_users_token_unknown_user(runner, db):
    result = runner.invoke(args=["users", "token", "ghost@example.vn"])
    assert result.exit_code == 1


def test_seed_demo_small(runner, client, db):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    staff = count(db, Staff)
    assert 200 <= staff <= 600
    root = db.session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)))
    assert root.code == "DB"
    names = set(db.session.scalars(select(OrgUnit.name)))
    assert {"Huyện Mường Chà", "Huyện Điện Biên Đông"} <= names
    all_names = " ".join(db.session.scalars(select(Staff.full_name)))
    assert "Đ" in all_names and "ư" in all_names and "ị" in all_names
    kinds = set(db.session.scalars(select(OrgUnit.kind)))
    assert {"province", "district", "commune", "school"} <= kinds
    # every child's path extends its parent's
    for unit in db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_not(None))):
        assert unit.path.startswith(unit.parent.path) and unit.depth == unit.parent.depth + 1
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {"admin", "manager", "trainer", "teacher"}
    assert "DB0" in result.output and "admin@demo.trainer.vn" in result.output
    # the printed demo sign-ins work
    teacher = db.session.scalar(select(User).where(User.role == "teacher"))
    response = client.post(
        "/login", data={"identifier": teacher.staff.staff_code, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_seed_demo_activity_is_consistent(runner, db):
    from datetime import UTC, datetime

    from sqlalchemy.orm import aliased

    from trainer.training.models import Enrollment, TrainingSession

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    sessions = db.session.scalars(select(TrainingSession)).all()
    assert len(sessions) > 50
    assert all(s.enrolled_count <= s.capacity and s.ends_at > s.starts_at for s in sessions)
    counted = dict(
        db.session.execute(
            select(Enrollment.session_id, func.count()).group_by(Enrollment.session_id)
        ).all()
    )
    assert all(counted.get(s.id, 0) == s.enrolled_count for s in sessions)
    a, b = aliased(TrainingSession), aliased(TrainingSession)
    overlaps = db.session.scalar(
        select(func.count())
        .select_from(a)
        .join(
            b,
            (a.trainer_id == b.trainer_id)
            & (a.id < b.id)
            & (a.starts_at < b.ends_at)
            & (a.ends_at > b.starts_at),
        )
        .where(a.status != "cancelled", b.status != "cancelled")
    )
    assert overlaps == 0
    held = [s for s in sessions if s.status == "held"]
    assert held and all(s.ends_at < datetime.now(UTC) for s in held)
    marked = db.session.scalar(
        select(func.count()).select_from(Enrollment).where(Enrollment.status.is_not(None))
    )
    assert marked > 0
    teacher = db.session.scalar(select(User).where(User.role == "teacher"))
    today = db.session.scalar(
        select(TrainingSession)
        .join(Enrollment)
        .where(
            Enrollment.staff_id == teacher.staff_id,
            TrainingSession.starts_at <= datetime.now(UTC),
            TrainingSession.ends_at >= datetime.now(UTC),
        )
    )
    assert today is not None  # the demo teacher can try the QR check-in right away


def test_seed_demo_refuses_a_non_empty_database_but_if_empty_succeeds(runner, db, tree):
    before = count(db, OrgUnit)
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code == 1 and "database_not_empty" in refused.output
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert skipped.exit_code == 0 and "not seeding" in skipped.output
    assert count(db, OrgUnit) == before


@pytest.mark.committed  # the copy is read from the database by another connection
def test_backup_makes_a_readable_copy(runner, db, tree, tmp_path, backend):
    factories.make_staff(tree["DB-A-S1"], "Lò Văn Đức", staff_code="BK1")
    db.session.commit()
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.exists() and target.stat().st_size > 0
    if backend[0] == "sqlite":
        with sqlite3.connect(target) as conn:
            row = conn.execute("SELECT full_name FROM staff WHERE staff_code='BK1'").fetchone()
        assert row == ("Lò Văn Đức",)
    else:
        assert target.read_bytes().startswith(b"PGDMP")  # pg_dump custom format


@pytest.mark.committed
def test_backup_reads_sqlite_with_the_apps_own_sqlite_library(
    runner, app, db, tree, tmp_path, backend, monkeypatch
):
    """Two SQLite libraries in one process must not open the same file (their POSIX locks
    do not see each other): the backup uses the library the app's engine uses."""
    if backend[0] != "sqlite":
        pytest.skip("an SQLite file")
    app_library = db.engine.dialect.dbapi
    other = sqlite3 if app_library.__name__.startswith("pysqlite3") else None

    def refused(*args, **kwargs):
        raise AssertionError("the backup opened the database with another SQLite library")

    if other is not None:
        monkeypatch.setattr(other, "connect", refused)
    result = runner.invoke(args=["backup", str(tmp_path / "backup.db")])
    assert result.exit_code == 0, result.output
