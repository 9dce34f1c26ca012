"""A lost database answers 503 and the app recovers; backups are consistent during writes."""

import sqlite3
import subprocess
import threading
import time

import pytest

from trainer import create_app

from ..conftest import base_config

# dropped connections, threads and restores: real commits
pytestmark = pytest.mark.committed


def test_lost_database_answers_503_json_and_page(tmp_path):
    app = create_app(base_config("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    client = app.test_client()
    api = client.get("/api/v1/staff", headers={"Authorization": "Bearer something"})
    assert api.status_code == 503 and api.is_json and "error" in api.get_json()
    page = client.post("/login", data={"identifier": "a@b.vn", "password": "whatever-123"})
    assert page.status_code == 503
    assert "Hiện không kết nối được cơ sở dữ liệu" in page.get_data(as_text=True)


def test_recovers_when_the_database_returns(tmp_path):
    """On SQLite (the file can be taken away and put back); PostgreSQL behaves the same."""
    db_path = tmp_path / "live.db"
    app = create_app(base_config(f"sqlite:///{db_path}"))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    from trainer.extensions import db

    moved = tmp_path / "away.db"
    db_path.rename(moved)
    db_path.mkdir()  # a folder where the file was: new connections fail
    with app.app_context():
        db.engine.dispose()  # as if the server had dropped every connection
    assert client.get("/healthz").status_code == 503
    assert client.get("/api/v1/staff", headers={"Authorization": "Bearer x"}).status_code == 503
    db_path.rmdir()
    moved.rename(db_path)
    assert client.get("/healthz").status_code == 200  # back without a restart


def test_backup_during_writes_is_consistent(runner, app, db, tree, tmp_path, backend):
    """Rows written in one transaction are in the backup all together or not at all."""
    from trainer.org.models import Staff

    stop = threading.Event()
    written = []

    def writer():
        with app.app_context():
            batch = 0
            while not stop.is_set() and batch < 200:
                batch += 1
                for i in range(5):
                    db.session.add(
                        Staff(
                            staff_code=f"W{batch}-{i}",
                            full_name=f"Ghi {batch} {i}",
                            org_unit_id=tree["DB-A-S1"].id,
                        )
                    )
                db.session.commit()
                written.append(batch)
            db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.2)
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    stop.set()
    thread.join()
    assert result.exit_code == 0, result.output
    assert written, "the writer made no progress"
    if backend[0] == "sqlite":
        with sqlite3.connect(target) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            counts = conn.execute(BATCH_SIZES).fetchall()
    else:
        assert target.read_bytes().startswith(b"PGDMP")
        counts = restored_on_postgres(backend[1], target)
    assert counts, "the backup holds none of the batches"
    assert all(count == (5,) for count in counts)  # no half-written batch


BATCH_SIZES = (
    "SELECT count(*) FROM staff WHERE staff_code LIKE 'W%' "
    "GROUP BY substr(staff_code, 1, length(staff_code) - 2)"
)  # W{batch}-{0..4}


def restored_on_postgres(url, dump):
    """Restore ``dump`` as the README says (pg_restore into an empty database); count batches."""
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    scratch = plain.rsplit("/", 1)[0] + "/trainer_restore_test"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS trainer_restore_test")
        conn.execute("CREATE DATABASE trainer_restore_test")
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", scratch, str(dump)],
            check=True,
            capture_output=True,
        )
        with psycopg.connect(scratch) as conn:
            return conn.execute(BATCH_SIZES).fetchall()
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS trainer_restore_test")
