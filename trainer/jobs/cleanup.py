"""Deleting what jobs leave on disk once it has served: their files and stale uploads.

Password sheets (a private file) hold one-time passwords in clear: they go after
``JOBS_PRIVATE_FILES_KEEP_HOURS`` (24 h); exports, merged PDFs and ZIPs after
``JOBS_FILES_KEEP_HOURS`` (7 days), counted from the job's end. The job's page then says
the file has expired (its outcome stays). A download does not delete a file: an interrupted
download on a weak link would otherwise lose the only copy of the passwords.
"""

import shutil
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..imports.uploads import upload_dir
from ..models_base import utcnow
from .models import Job
from .services import jobs_root


def keep_for(app, job):
    """How long after its end ``job``'s files are kept."""
    from .kinds import KINDS

    kind = KINDS.get(job.kind)
    hours = (
        app.config["JOBS_PRIVATE_FILES_KEEP_HOURS"]
        if kind is not None and kind.private_file
        else app.config["JOBS_FILES_KEEP_HOURS"]
    )
    return timedelta(hours=hours)


def expired_folders(app, now):
    """(job id, folder) of every job folder whose files have had their time."""
    root = jobs_root(app.instance_path)
    folders = {int(p.name): p for p in root.iterdir() if p.is_dir() and p.name.isdigit()}
    if not folders:
        return []
    jobs = {job.id: job for job in db.session.scalars(select(Job).where(Job.id.in_(list(folders))))}
    expired = []
    for job_id, folder in sorted(folders.items()):
        job = jobs.get(job_id)
        if job is None:  # the job's row is gone: nothing can serve the folder any more
            expired.append((job_id, folder))
        elif job.final and (job.finished_at or job.created_at) + keep_for(app, job) <= now:
            expired.append((job_id, folder))
    return expired


def clean_job_files(app, *, now=None):
    """Delete expired job files and uploads left waiting longer than the private files'
    time (a roster holds personal data); the ids of the jobs whose files went."""
    now = now or utcnow()
    cleaned = []
    for job_id, folder in expired_folders(app, now):
        shutil.rmtree(folder, ignore_errors=True)
        cleaned.append(job_id)
    limit = now.timestamp() - app.config["JOBS_PRIVATE_FILES_KEEP_HOURS"] * 3600
    for upload in upload_dir(app.instance_path).iterdir():
        if upload.is_file() and upload.stat().st_mtime <= limit:
            upload.unlink(missing_ok=True)
    return cleaned


def file_expired(job):
    """Whether ``job`` made a file that has since been deleted."""
    from .kinds import job_file

    return bool((job.result or {}).get("file")) and job_file(job) is None
