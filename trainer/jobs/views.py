"""Pages to follow jobs: one job's progress and outcome, and the list of a user's jobs."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..accounts.scope import scope_for
from ..bounds import page_arg
from ..errors import DomainError
from ..imports.uploads import upload_path
from ..pagination import paginate
from ..transaction import fail
from . import services
from .cleanup import file_expired
from .kinds import KINDS, file_for_user
from .queue import queue_of

bp = Blueprint("jobs", __name__)

STATUS_LABELS = {
    "queued": _l("Waiting for a worker"),
    "running": _l("Running"),
    "done": _l("Done"),
    "failed": _l("Failed"),
    "cancelled": _l("Cancelled"),
}
STAGE_LABELS = {
    "issuing": _l("issuing"),
    "rendering": _l("printing the PDFs"),
    "checking": _l("checking the file"),
    "writing": _l("saving"),
    "exporting": _l("writing the file"),
    "eligibility": _l("finding who is eligible"),
    "accounts": _l("creating the accounts"),
}


def duration(seconds):
    """``1 min 05 s`` / ``12 s``: how long, for people."""
    seconds = int(round(seconds or 0))
    if seconds < 60:
        return _("%(s)s s", s=seconds)
    return _("%(m)s min %(s)s s", m=seconds // 60, s=str(seconds % 60).zfill(2))


@bp.app_context_processor
def job_labels():
    return {
        "job_status_label": lambda code: STATUS_LABELS.get(code, code),
        "job_stage_label": lambda code: STAGE_LABELS.get(code, code),
        "duration": duration,
    }


def job_or_404(job_id):
    try:
        return services.job_in_scope(scope_for(current_user), job_id)
    except DomainError:
        abort(404)


@bp.route("/jobs")
@login_required
def job_list():
    page = paginate(
        services.jobs_for(scope_for(current_user)),
        page_arg(),
        current_app.config["PAGE_SIZE"],
    )
    return render_template("jobs/list.html", page=page, kinds=KINDS)


@bp.route("/jobs/<int:job_id>")
@login_required
def detail(job_id):
    job = job_or_404(job_id)
    state = services.status_json(queue_of(current_app), job)
    return render_template(
        "jobs/detail.html",
        job=job,
        state=state,
        kinds=KINDS,
        has_file=file_for(job) is not None,
        file_expired=file_expired(job),
        upload_waiting=upload_waiting(job),
    )


def upload_waiting(job):
    """Whether a checked import's file still waits for its confirmation (not yet imported)."""
    if job.kind != "imports.check" or job.status != "done":
        return False
    path = upload_path(current_app.instance_path, job.params.get("token"))
    return path is not None and path.is_file()


@bp.route("/jobs/<int:job_id>.json")
@login_required
def status(job_id):
    return jsonify(services.status_json(queue_of(current_app), job_or_404(job_id)))


@bp.route("/jobs/<int:job_id>/cancel", methods=["POST"])
@login_required
def cancel(job_id):
    job = job_or_404(job_id)
    if job.final:
        flash(_("This job has already ended."), "info")
    else:
        services.request_cancel(queue_of(current_app), job, user=current_user)
        flash(_("Cancelling: the job stops at its next step."), "success")
    return redirect(url_for("jobs.detail", job_id=job.id))


@bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@login_required
def retry(job_id):
    job = job_or_404(job_id)
    try:
        services.retry(queue_of(current_app), job, user=current_user)
    except DomainError as exc:
        fail()
        flash(exc.message, "error")
    return redirect(url_for("jobs.detail", job_id=job.id))


def file_for(job):
    """The job's file if the current user may download it."""
    return file_for_user(job, current_user)


@bp.route("/jobs/<int:job_id>/file")
@login_required
def download(job_id):
    path = file_for(job_or_404(job_id))
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True, download_name=path.name)
