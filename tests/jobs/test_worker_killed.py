"""A worker killed (SIGKILL) in the middle of a bulk issue: after a restart the job finishes,
every person holds exactly one certificate, and no number is used twice or skipped.
On SQLite with the SQLite queue, on PostgreSQL with the Redis queue."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trainer import create_app
from trainer.audit import AuditEntry
from trainer.certificates.models import Certificate
from trainer.extensions import db as _db
from trainer.imports.uploads import keep_upload
from trainer.jobs import services
from trainer.jobs.models import Job, JobStatus
from trainer.jobs.queue import queue_of
from trainer.org.models import Staff

from ..conftest import base_config
from ..databases import in_ci
from .test_long_work import staff_csv

WORKER = Path(__file__).with_name("worker_proc.py")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/15"


def queue_url(backend_name, tmp_path):
    if backend_name == "sqlite":
        return "sqlite:///" + str(tmp_path / "queue.sqlite3")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb()
    except redis.RedisError as exc:
        if in_ci():
            pytest.fail(f"CI: Redis is not answering at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis is not answering at {REDIS_URL}")
    return REDIS_URL


def start_worker(url, queue, instance, *options):
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, queue, str(instance), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def job_row(job_id):
    _db.session.remove()  # a fresh read, no transaction left open
    return _db.session.get(Job, job_id)


@pytest.mark.committed  # the worker is another process
def test_killed_worker_restarts_and_finishes_exactly_once(app, db, backend, eligible, tmp_path):
    name, url = backend
    people = eligible(120)
    queue = queue_url(name, tmp_path)
    instance = tmp_path / "worker"
    instance.mkdir()
    starter = create_app(base_config(url, JOBS_QUEUE=queue))
    with starter.app_context():
        huey = queue_of(starter)
        job_id = services.start_job(
            huey, "certificates.issue_bulk", {"org": "DB-A", "level": "basic", "locale": "vi"}
        ).id
    worker = start_worker(url, queue, instance)
    try:
        # kill it once it has issued everything and is part-way through the PDFs
        wait_for(
            lambda: (
                (services.live_state(huey, job_id) or {}).get("stage") == "rendering"
                and services.live_state(huey, job_id)["done"] >= 10
            ),
            120,
            "rendering",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        with starter.app_context():
            assert job_row(job_id).status == JobStatus.RUNNING  # nobody finished it
        rendered_before = len(list((instance / "certificates").rglob("*.pdf")))
        assert 0 < rendered_before < len(people)
        worker = start_worker(url, queue, instance)
        with starter.app_context():
            wait_for(lambda: job_row(job_id).status == JobStatus.DONE, 180, "the job to end")
            job = job_row(job_id)
            certs = _db.session.scalars(select(Certificate).order_by(Certificate.number)).all()
            assert job.attempts == 2 and job.result["issued"] == len(people)
            assert sorted(c.staff_id for c in certs) == sorted(p.id for p in people)
            assert [int(c.number[-6:]) for c in certs] == list(range(1, len(people) + 1))
            assert job.result["numbers"] == [c.number for c in certs]
            assert len(list((instance / "certificates").rglob("*.pdf"))) == len(people)
            _db.session.remove()
    finally:
        worker.kill()
        worker.wait()
        with starter.app_context():
            _db.engine.dispose()


@pytest.mark.committed  # the worker is another process
def test_killed_worker_redoes_the_import_all_or_nothing(app, db, backend, tree, tmp_path):
    """Killed after writing every row but before its commit: nothing of it is kept, and the
    restarted worker imports the file once (no duplicate, one audit entry)."""
    name, url = backend
    queue = queue_url(name, tmp_path)
    instance = tmp_path / "worker"
    instance.mkdir()
    starter = create_app(base_config(url, JOBS_QUEUE=queue))
    starter.instance_path = str(instance)  # the web app and the worker share the uploads
    with starter.app_context():
        huey = queue_of(starter)
        token = keep_upload(starter.instance_path, staff_csv(60))
        params = {"import_kind": "staff", "token": token, "filename": "r.csv", "locale": "vi"}
        job_id = services.start_job(huey, "imports.write", params).id
    worker = start_worker(url, queue, instance, "pause-after-apply")
    try:
        wait_for((instance / "applied").exists, 120, "the import to write its rows")
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        with starter.app_context():
            assert job_row(job_id).status == JobStatus.RUNNING
            assert _db.session.scalar(select(func.count()).select_from(Staff)) == 0
            _db.session.remove()
        worker = start_worker(url, queue, instance)
        with starter.app_context():
            wait_for(lambda: job_row(job_id).status == JobStatus.DONE, 180, "the job to end")
            job = job_row(job_id)
            assert job.attempts == 2 and job.result["report"]["created"] == 60
            codes = _db.session.scalars(select(Staff.staff_code)).all()
            assert sorted(codes) == [f"NV{i:03d}" for i in range(60)]
            audits = _db.session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "import.staff")
            )
            assert audits == 1 and not (instance / "uploads" / token).exists()
            _db.session.remove()
    finally:
        worker.kill()
        worker.wait()
        with starter.app_context():
            _db.engine.dispose()
