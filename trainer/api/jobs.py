"""Jobs: where a long operation started through the API stands (SPEC §9)."""

from flask import current_app, g, jsonify, url_for

from ..jobs import services
from ..jobs.launch import launch
from ..jobs.queue import queue_of
from . import bp
from .auth import scope


def job_json(job):
    """``{status, done, total, result, error}`` and the job's id and kind."""
    state = services.status_json(queue_of(current_app), job)
    return {key: state[key] for key in ("id", "kind", "status", "done", "total", "result", "error")}


def accepted(job):
    """The answer to a request that started ``job``: 201 with the outcome when it already
    ended (a short job, or a queue that runs jobs at once), else 202 with where to follow it."""
    status_url = url_for("api.job_get", job_id=job.id)
    if job.status == "failed":
        return jsonify(
            error="job_failed", message=job.error, job_id=job.id, status_url=status_url
        ), 422
    if job.final:
        return jsonify(
            job_id=job.id, status_url=status_url, **(job.result or {}), job=job_json(job)
        ), 201
    return jsonify(job_id=job.id, status_url=status_url), 202


@bp.get("/jobs/<int:job_id>")
def job_get(job_id):
    return jsonify(job_json(services.job_in_scope(scope(), job_id)))


def start(kind, params, *, org_unit=None):
    """Start a job of ``kind`` for the API caller."""
    return launch(kind, params, user=g.api_user, org_unit=org_unit)
