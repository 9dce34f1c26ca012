"""``trainer jobs worker`` (the queue's consumer) and ``trainer jobs list``."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from .models import Job
from .queue import queue_of


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
    run_worker(app, workers)


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
