"""Starting, following, cancelling and retrying jobs (plain functions, no request objects)."""

import os
import socket
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from .. import audit
from ..errors import Common, Conflict, NotFound
from ..extensions import db
from ..models_base import utcnow
from .errors import JobError
from .models import FINAL, Job, JobStatus

#: How long a user's jobs stay listed.
LISTED_FOR = timedelta(days=30)


class JobCancelled(Exception):
    """Raised inside a job's work when someone asked to cancel it."""


def owner_tag():
    """This process, as recorded beside a running job: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def state_key(job_id):
    return f"job:{job_id}:state"


def cancel_key(job_id):
    return f"job:{job_id}:cancel"


def live_state(huey, job_id):
    """The progress a worker last reported for ``job_id`` (``None`` before it started)."""
    return huey.get(state_key(job_id), peek=True)


class Progress:
    """What a job's work calls as it advances: stored in the queue's store, never in the
    job's own database transaction, so that other processes see it while the work runs."""

    def __init__(self, huey, job_id, *, every=0.5):
        self.huey, self.job_id, self.every = huey, job_id, every
        self.done, self.total, self.owner = 0, None, owner_tag()
        self.stage = ""
        self._last = 0.0

    def set_total(self, total, stage=None):
        self.total = total
        if stage is not None:
            self.stage = stage
        self.report(force=True)

    def __call__(self, count=1):
        """Count ``count`` more items done (the signature of click's ``bar.update``)."""
        self.done += count
        self.report()

    def report(self, force=False):
        now = time.monotonic()
        if not force and now - self._last < self.every and self.done != self.total:
            return
        self._last = now
        if self.huey.get(cancel_key(self.job_id), peek=True):
            raise JobCancelled()
        self.huey.put(
            state_key(self.job_id),
            {
                "done": self.done,
                "total": self.total,
                "stage": self.stage,
                "at": time.time(),
                "owner": self.owner,
            },
        )


def start_job(huey, kind, params, *, user=None, org_unit=None, total=None):
    """Record a job and queue it. Commits first: the worker must find the row."""
    from .kinds import KINDS

    if kind not in KINDS:
        raise NotFound(f"unknown job kind {kind}")
    job = Job(
        kind=kind,
        params=params,
        user_id=getattr(user, "id", None),
        org_unit_id=getattr(org_unit, "id", None),
        total=total,
        status=JobStatus.QUEUED,
    )
    db.session.add(job)
    audit.record("job.start", job, user=user, kind=kind)
    db.session.commit()  # commit-before: the worker reads the job from another connection
    job_id = job.id
    huey.run_job(job_id)
    return db.session.get(Job, job_id, populate_existing=True)  # the worker may have run it


def claim(job_id):
    """Mark a queued job running for this worker; ``None`` if someone else has it or it ended."""
    result = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(
            status=JobStatus.RUNNING, attempts=Job.attempts + 1, started_at=utcnow(), error=None
        )
    )
    db.session.commit()  # commit-before: the claim must be seen by every worker before the work
    if result.rowcount != 1:
        return None
    return db.session.get(Job, job_id)


def finish(job_id, status, *, result=None, error=None, done=None, total=None):
    """Record the outcome of a job's run."""
    values = {"status": status, "finished_at": utcnow(), "error": error}
    if total is not None:
        values["total"] = total
    if result is not None:
        values["result"] = result
    if done is not None:
        values["done"] = done
    db.session.execute(update(Job).where(Job.id == job_id).values(**values))
    db.session.commit()  # commit-before: the worker's outcome, outside any request


def request_cancel(huey, job, *, user=None):
    """Stop ``job``: a queued one at once, a running one at its next progress report."""
    if job.final:
        raise Conflict(JobError.FINISHED)
    huey.put(cancel_key(job.id), True)
    job.cancel_requested = True
    if job.status == JobStatus.QUEUED:
        db.session.execute(
            update(Job)
            .where(Job.id == job.id, Job.status == JobStatus.QUEUED)
            .values(status=JobStatus.CANCELLED, finished_at=utcnow())
        )
    audit.record("job.cancel", job, user=user)
    db.session.flush()
    return job


def retry(huey, job, *, user=None):
    """Queue a failed or cancelled job again (its work skips what was already done)."""
    if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise Conflict(JobError.NOT_RETRYABLE)
    huey.get(cancel_key(job.id))  # reading without peek removes the old cancel request
    job.status, job.error, job.cancel_requested, job.finished_at = (
        JobStatus.QUEUED,
        None,
        False,
        None,
    )
    audit.record("job.retry", job, user=user)
    db.session.commit()  # commit-before: the worker reads the job from another connection
    huey.run_job(job.id)
    return job


def requeue_stale(huey, *, stale_seconds, at_startup=False):
    """Queue again the jobs whose worker died (killed, machine restarted) or whose queue
    message was lost; claiming is atomic, so a job queued twice still runs once."""
    host, pid = owner_tag().split(":")
    now = time.time()
    requeued = []
    for job in db.session.scalars(
        select(Job).where(Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)))
    ):
        state = live_state(huey, job.id) or {}
        age = now - state.get("at", job.created_at.timestamp())
        owner_host, _sep, owner_pid = (state.get("owner") or ":").partition(":")
        dead_here = owner_host == host and owner_pid and not pid_alive(int(owner_pid))
        if job.status == JobStatus.RUNNING and (dead_here or age > stale_seconds):
            job.status = JobStatus.QUEUED
            requeued.append(job.id)
        elif job.status == JobStatus.QUEUED and (at_startup or age > stale_seconds):
            requeued.append(job.id)
    db.session.commit()
    for job_id in requeued:
        huey.run_job(job_id)
    return requeued


def pid_alive(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def jobs_for(scope, *, now=None):
    """The jobs a user may list: their own of the last 30 days; every job for admins."""
    since = (now or utcnow()) - LISTED_FOR
    query = select(Job).where(Job.created_at >= since).order_by(Job.id.desc())
    if not scope.everything:
        query = query.where(Job.user_id == getattr(scope.user, "id", -1))
    return query


def job_in_scope(scope, job_id):
    """A job its starter (or an admin) may see; ``NotFound`` otherwise."""
    job = db.session.get(Job, job_id)
    if job is None or not (
        scope.everything or (scope.user is not None and job.user_id == scope.user.id)
    ):
        raise NotFound(Common.NOT_FOUND)
    return job


def jobs_root(instance_path):
    """The folder holding one folder of output files per job."""
    path = Path(instance_path) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def files_dir(instance_path, job_id):
    """Where a job's output files are kept (created on first use)."""
    path = jobs_root(instance_path) / str(job_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def status_json(huey, job):
    """The JSON of SPEC §9: status, done, total, result, error (live progress while running)."""
    done, total, stage = job.done, job.total, ""
    if job.status == JobStatus.RUNNING:
        state = live_state(huey, job.id) or {}
        done, total, stage = (
            state.get("done", done),
            state.get("total", total),
            state.get("stage", ""),
        )
    elapsed = None
    if job.started_at is not None:
        elapsed = ((job.finished_at or utcnow()) - job.started_at).total_seconds()
    remaining = None
    if job.status == JobStatus.RUNNING and elapsed and done and total and done < total:
        remaining = elapsed / done * (total - done)
    return {
        "id": job.id,
        "kind": job.kind,
        "status": str(job.status),
        "done": done,
        "total": total,
        "stage": stage,
        "result": job.result,
        "error": job.error,
        "elapsed_seconds": elapsed,
        "remaining_seconds": remaining,
        "final": job.status in FINAL,
    }
