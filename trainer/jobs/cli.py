"""``trainer jobs worker`` (the queue's consumer) and ``trainer jobs list``."""

import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from . import services
from .models import Job, JobStatus
from .queue import queue_of

#: Seconds between two progress lines while the terminal waits for a job (at most 2).
FOLLOW_EVERY = 1.0


def clock(seconds):
    """``0:05`` / ``1:02:03``: a duration for the terminal."""
    seconds = int(round(seconds or 0))
    hours, rest = divmod(seconds, 3600)
    text = f"{rest // 60}:{rest % 60:02d}"
    return f"{hours}:{text.zfill(5)}" if hours else text


def progress_line(state):
    """One line of a job's progress: status, stage, done/total, elapsed and time left."""
    parts = [state["status"] + (f" ({state['stage']})" if state.get("stage") else "")]
    if state.get("total") is not None:
        percent = 100 * state["done"] // state["total"] if state["total"] else 100
        parts.append(f"{state['done']:,}/{state['total']:,} ({percent}%)")
    if state.get("elapsed_seconds") is not None:
        parts.append(f"elapsed {clock(state['elapsed_seconds'])}")
    if state.get("remaining_seconds") is not None:
        parts.append(f"left {clock(state['remaining_seconds'])}")
    if state["status"] == JobStatus.QUEUED:
        parts.append("waiting for a worker (trainer jobs worker)")
    return " · ".join(parts)


def job_state(huey, job_id):
    """The job's state as the API shows it, read afresh (another process does the work)."""
    db.session.commit()  # nothing to write: ends the read transaction and expires the job
    return services.status_json(huey, db.session.get(Job, job_id))


def follow(job_id, *, echo=click.echo, every=FOLLOW_EVERY, sleep=time.sleep, now=time.monotonic):
    """Print the progress of job ``job_id`` every ``every`` seconds until it ends; its end."""
    huey = queue_of(current_app)
    state = job_state(huey, job_id)
    echo(f"job {job_id}: " + progress_line(state))
    last = now()
    while not state["final"]:
        sleep(min(0.25, every))
        state = job_state(huey, job_id)
        if state["final"] or now() - last >= every:
            echo(f"job {job_id}: " + progress_line(state))
            last = now()
    return db.session.get(Job, job_id)


def start_and_follow(kind, params, *, wait, locale=None):
    """Start a job of ``kind`` from the terminal; with ``wait``, follow it to its end. The
    job (ended, or queued when not waiting)."""
    app = current_app._get_current_object()
    locale = locale or app.config["BABEL_DEFAULT_LOCALE"]
    job = services.start_job(queue_of(app), kind, {**params, "locale": locale})
    if not wait:
        click.echo(
            f"job {job.id} queued: follow it with `trainer jobs wait {job.id}` or on /jobs/{job.id}"
        )
        return job
    return follow(job.id)


def ended_badly(job):
    """Print why a job failed or was cancelled and exit with status 1."""
    if job.status == JobStatus.FAILED:
        click.echo(f"job {job.id} failed: {job.error}", err=True)
        raise SystemExit(1)
    if job.status == JobStatus.CANCELLED:
        click.echo(f"job {job.id} was cancelled", err=True)
        raise SystemExit(1)


def run_worker(app, workers=None):
    """Consume the app's queue until stopped (SIGINT/SIGTERM finish the running jobs first)."""
    huey = queue_of(app)
    if huey.immediate:
        raise click.ClickException("JOBS_QUEUE=immediate runs jobs in the caller: no worker")
    consumer = huey.create_consumer(
        workers=workers or app.config["JOBS_WORKERS"],
        worker_type="thread",
        periodic=True,
        check_worker_health=True,
    )
    consumer.run()


@click.group("jobs", help="The background job queue.")
def jobs_cli():
    pass


@jobs_cli.command("worker")
@click.option("--workers", type=int, default=None, help="Threads (default JOBS_WORKERS).")
@with_appcontext
def worker(workers):
    """Run the queue's consumer: jobs, the nightly backup, recovery of stalled jobs."""
    app = current_app._get_current_object()
    click.echo(
        f"job worker on {type(queue_of(app)).__name__}, "
        f"{workers or app.config['JOBS_WORKERS']} thread(s)"
    )
    if app.config["WARM_UP_DOCUMENTS"] and app.config["CERTIFICATE_RENDER_WORKERS"] >= 2:
        from ..documents.pool import start_workers

        # the render processes, warmed up, ready for the first bulk job (as a running app's)
        start_workers(app.config["CERTIFICATE_RENDER_WORKERS"], "trainer.certificates.pdf")
    run_worker(app, workers)


@jobs_cli.command("wait")
@click.argument("job_id", type=int)
@with_appcontext
def wait(job_id):
    """Follow job JOB_ID: a progress line every second until it ends."""
    if db.session.get(Job, job_id) is None:
        raise click.ClickException(f"no job {job_id}")
    job = follow(job_id)
    ended_badly(job)
    click.echo(f"job {job.id} done: {job.result}")


@jobs_cli.command("list")
@click.option("--limit", type=int, default=20)
@with_appcontext
def list_jobs(limit):
    """The latest jobs with their status and progress."""
    for job in db.session.scalars(select(Job).order_by(Job.id.desc()).limit(limit)):
        total = "?" if job.total is None else job.total
        click.echo(
            f"{job.id:>6}  {job.kind:<28} {job.status:<9} {job.done}/{total}  "
            f"{job.created_at:%Y-%m-%d %H:%M}  {job.error or ''}"
        )
