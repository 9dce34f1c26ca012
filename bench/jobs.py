"""Benchmarks of the job queue: how fast a job starts, and a province-wide bulk issue run as
a job end to end (issue, render, store), with the longest pause between progress reports."""

import tempfile
import threading
import time

from bench.harness import Case, measure_against

START_BUDGET_S = 0.200  # issue 17: starting any job answers within 200 ms
PER_CERT_BUDGET_S = 0.005  # issue 17: ≤ 5 ms a certificate end to end


def queue_for(app):
    """A real SQLite queue (not the tests' immediate mode) for ``app``."""
    from huey import SqliteHuey

    from trainer.jobs.queue import TASK_NAME

    huey = SqliteHuey("bench", filename=tempfile.mkdtemp(prefix="bench-queue-") + "/q.db", utc=True)
    from trainer.jobs import runner

    task = huey.task(name=TASK_NAME)(lambda job_id: runner.run(app, job_id))
    huey.run_job = task
    app.extensions["huey"] = huey
    return huey


def job_cases(name, app, health, repeat):
    """Start latency (no worker running: only the request), then the advanced level issued to
    the whole province by a worker, per certificate."""
    from sqlalchemy import func, select, update

    from trainer.certificates.models import Certificate
    from trainer.extensions import db
    from trainer.jobs.models import Job, JobStatus
    from trainer.jobs.services import live_state

    huey = queue_for(app)
    client = app.test_client()
    client.post(
        "/login", data={"identifier": "admin@demo.trainer.vn", "password": "trainer-demo-2026"}
    )

    def start():
        answer = client.post("/certificates/bulk", data={"org": "DB", "level": "advanced"})
        assert answer.status_code == 302, answer.status_code

    samples, base = measure_against(start, health.extra["run"], repeat)
    with app.app_context():  # the started jobs never ran: take them off the queue
        huey.flush()
        db.session.execute(update(Job).values(status=JobStatus.CANCELLED))
        db.session.commit()
    median = sorted(samples)[len(samples) // 2]
    start_case = Case(
        f"{name}: start a province-wide bulk-issue job (answer)",
        samples,
        baseline=health.name,
        baseline_samples=base,
        note=f"absolute budget ≤ {START_BUDGET_S * 1000:.0f} ms: "
        f"{'met' if median <= START_BUDGET_S else 'NOT met'}",
    )

    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    import signal

    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    consumer.start()
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Certificate))
    started = time.perf_counter()
    answer = client.post("/certificates/bulk", data={"org": "DB", "level": "advanced"})
    job_id = int(answer.location.rsplit("/", 1)[1])
    gaps, last_at, stop = [], None, threading.Event()
    while True:
        state = live_state(huey, job_id) or {}
        if state.get("at") and state["at"] != last_at:
            if last_at is not None:
                gaps.append(state["at"] - last_at)
            last_at = state["at"]
        with app.app_context():
            status = db.session.scalar(select(Job.status).where(Job.id == job_id))
            db.session.remove()
        if status in ("done", "failed", "cancelled"):
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    consumer.stop(graceful=True)
    stop.set()
    with app.app_context():
        job = db.session.get(Job, job_id)
        issued = (job.result or {}).get("issued", 0)
        after = db.session.scalar(select(func.count()).select_from(Certificate))
    per_cert = elapsed / max(issued, 1)
    verdict = "met" if per_cert <= PER_CERT_BUDGET_S else "NOT met"
    return [
        start_case,
        Case(
            f"{name}: province-wide advanced bulk issue as a job, per certificate",
            [per_cert],
            note=f"{issued:,} certificates ({after - before:,} new rows) issued, rendered and "
            f"stored in {elapsed:.1f} s, status {job.status}; absolute budget ≤ "
            f"{PER_CERT_BUDGET_S * 1000:.0f} ms: {verdict}; "
            f"longest pause between progress reports {max(gaps, default=0):.2f} s",
        ),
    ]
