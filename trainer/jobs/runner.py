"""What a worker does with a job: claim it, run its work, record the outcome."""

import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import db
from . import services
from .models import JobStatus
from .queue import queue_of

log = logging.getLogger(__name__)


def run(app, job_id):
    """Run job ``job_id`` once, in a fresh application context (its own session)."""
    huey = queue_of(app)
    with app.app_context():
        job = services.claim(job_id)
        if job is None:
            return
        from .kinds import KINDS

        locale = job.params.get("locale") or app.config["BABEL_DEFAULT_LOCALE"]
        progress = services.Progress(huey, job.id)
        progress.report(force=True)
        with force_locale(locale):
            try:
                result = KINDS[job.kind].work(job, progress)
                db.session.commit()
            except services.JobCancelled:
                db.session.rollback()
                services.finish(job_id, JobStatus.CANCELLED, **counts(progress))
            except DomainError as exc:
                db.session.rollback()
                services.finish(job_id, JobStatus.FAILED, error=exc.message, **counts(progress))
            except Exception:
                log.exception("job %s (%s) failed", job_id, job.kind)
                db.session.rollback()
                services.finish(
                    job_id,
                    JobStatus.FAILED,
                    **counts(progress),
                    error=_(
                        "The work stopped on an unexpected error. Try again; if it fails again, "
                        "tell an administrator."
                    ),
                )
            else:
                total = progress.total if progress.total is not None else progress.done
                services.finish(
                    job_id, JobStatus.DONE, result=result or {}, done=total, total=total
                )
        db.session.remove()


def counts(progress):
    return {"done": progress.done, "total": progress.total}


def recover(app, at_startup=False):
    """Queue again the jobs a dead worker left behind."""
    with app.app_context():
        services.requeue_stale(
            queue_of(app), at_startup=at_startup, stale_seconds=app.config["JOBS_STALE_SECONDS"]
        )
        db.session.remove()


def clean_files(app):
    """Delete the job files and uploads whose time is up (hourly)."""
    from .cleanup import clean_job_files

    with app.app_context():
        cleaned = clean_job_files(app)
        db.session.remove()
    if cleaned:
        log.info("deleted the files of jobs %s", cleaned)


def nightly_backup(app):
    """Copy the database into ``BACKUP_DIR`` (default ``instance/backups``), keeping 14."""
    from ..backup import backup_database

    folder = Path(app.config.get("BACKUP_DIR") or Path(app.instance_path) / "backups")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])).strftime("%Y%m%d-%H%M")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    suffix = ".sqlite3" if url.startswith("sqlite") else ".dump"
    backup_database(url, folder / f"trainer-{stamp}{suffix}", app.config.get("SQLITE_LIBRARY"))
    for old in sorted(folder.glob("trainer-*"))[:-14]:
        old.unlink()
