"""Jobs: where a long operation started through the API stands (SPEC §9)."""

from flask import current_app, g, jsonify, send_file, url_for

from ..errors import Common, NotFound
from ..jobs import services
from ..jobs.kinds import file_for_user
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
    ended (a short job, or a queue that runs jobs at once), 422 when it failed or refused an
    import file, else 202 with where to follow it."""
    status_url = url_for("api.job_get", job_id=job.id)
    if job.status == "failed":
        return jsonify(
            error=Common.JOB_FAILED, message=job.error, job_id=job.id, status_url=status_url
        ), 422
    report = (job.result or {}).get("report")
    if job.status == "done" and report is not None and not report["ok"]:
        return jsonify(
            error=Common.IMPORT_REFUSED,
            message=str(Common.IMPORT_REFUSED.text),
            job_id=job.id,
            status_url=status_url,
            report=report,
        ), 422
    if job.final:
        return jsonify(
            job_id=job.id, status_url=status_url, **(job.result or {}), job=job_json(job)
        ), 201
    return jsonify(job_id=job.id, status_url=status_url), 202


@bp.get("/jobs/<int:job_id>")
def job_get(job_id):
    return jsonify(job_json(services.job_in_scope(scope(), job_id)))


@bp.get("/jobs/<int:job_id>/file")
def job_file_download(job_id):
    """The file a job made (an export, a merged PDF, password sheets for their starter only);
    404 once it has expired."""
    path = file_for_user(services.job_in_scope(scope(), job_id), g.api_user)
    if path is None:
        raise NotFound(Common.NOT_FOUND)
    return send_file(
        path, mimetype="application/octet-stream", as_attachment=True, download_name=path.name
    )


def start(kind, params, *, org_unit=None):
    """Start a job of ``kind`` for the API caller."""
    return launch(kind, params, user=g.api_user, org_unit=org_unit)
