"""Enrolment, attendance marking and requests for a place."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.scope import Capability, scope_for
from ..errors import InvalidInput
from ..extensions import db
from ..org.models import Staff
from ..transaction import fail
from . import services
from .blueprint import bp
from .errors import CapacityExceeded
from .forms import DeclineForm, EnrollForm
from .models import ATTENDANCE_STATUSES, PlaceRequest
from .queries import available_for, roster
from .scope import cancelled_redirect, managed_session_or_404


def back_to(session, anchor=""):
    return redirect(url_for("training.detail", session_id=session.id) + anchor)


@bp.route("/sessions/<int:session_id>/enroll", methods=["POST"])
@login_required
def enroll(session_id):
    scope = scope_for(current_user)
    session = managed_session_or_404(scope, session_id)
    form = EnrollForm()
    codes = [c for c in (form.staff_codes.data or "").replace(",", " ").split() if c]
    codes += request.form.getlist("staff_code")
    people = (
        list(
            db.session.scalars(
                scope.staff().where(Staff.staff_code.in_(codes), Staff.status == "active")
            )
        )
        if codes
        else []
    )
    if form.school.process_errors:  # a name matching several schools: which ones
        flash(form.school.process_errors[0], "error")
        return back_to(session)
    if form.school.data:  # the whole school, but not the trainer leading the session
        people += [
            s
            for s in services.school_staff(scope.unit_or_404(form.school.data.strip()))
            if s.id != session.trainer_id
        ]
    unknown = sorted(set(codes) - {s.staff_code for s in people})
    if unknown:
        flash(
            _("Unknown staff codes (or outside your scope): %(codes)s", codes=", ".join(unknown)),
            "error",
        )
        return back_to(session)
    try:
        added = services.enroll(session, people, actor=current_user)
    except CapacityExceeded as exc:
        fail()
        flash(
            _(
                "Nobody was enrolled: %(n)d people would not fit in the %(left)d place(s) left.",
                n=exc.details["requested"],
                left=exc.details["capacity"] - exc.details["enrolled"],
            ),
            "error",
        )
        return back_to(session)
    except InvalidInput:
        abort(400)
    flash(_("%(n)d enrolled.", n=len(added)), "success")
    return back_to(session, "#roster")


@bp.route("/sessions/<int:session_id>/unenroll/<staff_code>", methods=["POST"])
@login_required
def unenroll(session_id, staff_code):
    scope = scope_for(current_user)
    session = managed_session_or_404(scope, session_id)
    services.unenroll(session, scope.staff_or_404(staff_code), actor=current_user)
    return back_to(session, "#roster")


@bp.route("/sessions/<int:session_id>/attendance", methods=["POST"])
@login_required
def attendance(session_id):
    """One tap: mark one person. Answers JSON to the page's script, else redirects back."""
    scope = scope_for(current_user)
    session = managed_session_or_404(scope, session_id, Capability.MARK_ATTENDANCE)
    status = request.form.get("status")
    if status not in ATTENDANCE_STATUSES:
        abort(400)
    staff = scope.staff_or_404(request.form.get("staff_code", ""))
    # a refusal (not enrolled …) is the request's DomainError: its code and message in JSON,
    # the message flashed on the page
    services.record_attendance(session, staff, status, marked_by=current_user)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(staff_code=staff.staff_code, status=status)
    return back_to(session, f"#p-{staff.staff_code}")


@bp.route("/sessions/<int:session_id>/attendance/all-present", methods=["POST"])
@login_required
def all_present(session_id):
    session = managed_session_or_404(
        scope_for(current_user), session_id, Capability.MARK_ATTENDANCE
    )
    count = services.mark_all_present(session, marked_by=current_user)
    flash(_("%(n)d marked present.", n=count), "success")
    return back_to(session, "#roster")


@bp.route("/sessions/<int:session_id>/attendance/sheet", methods=["GET", "POST"])
@login_required
def attendance_sheet(session_id):
    """Enter the marks of a paper sign-in sheet in one pass: one form, one transaction."""
    session = managed_session_or_404(
        scope_for(current_user), session_id, Capability.MARK_ATTENDANCE
    )
    if (back := cancelled_redirect(session)) is not None:
        return back
    enrollments = roster(session)
    if request.method == "POST":
        records = [
            (e.staff.staff_code, request.form.get(f"status-{e.staff.staff_code}"))
            for e in enrollments
        ]
        records = [(code, status) for code, status in records if status]
        try:
            services.record_attendance_many(session, records, marked_by=current_user)
        except InvalidInput:
            abort(400)
        flash(_("%(n)d marks saved.", n=len(records)), "success")
        return back_to(session, "#roster")
    return render_template(
        "training/attendance_sheet.html", session=session, enrollments=enrollments
    )


@bp.route("/sessions/available")
@login_required
def available():
    staff = current_user.staff
    if staff is None:
        abort(404)
    return render_template("training/available.html", items=available_for(staff))


@bp.route("/sessions/<int:session_id>/request", methods=["POST"])
@login_required
def ask_for_place(session_id):
    staff = current_user.staff
    offered = {s.id: s for s, _r in available_for(staff)} if staff else {}
    if session_id not in offered:
        abort(404)
    services.request_place(offered[session_id], staff)
    flash(_("Your request has been sent to the trainer."), "success")
    return redirect(url_for("training.available"))


@bp.route("/requests/<int:request_id>/decide", methods=["POST"])
@login_required
def decide(request_id):
    scope = scope_for(current_user)
    place = db.session.get(PlaceRequest, request_id)
    if place is None:
        abort(404)
    session = managed_session_or_404(scope, place.session_id)
    accept = request.form.get("decision") == "accept"
    form = DeclineForm()
    if not accept and not form.validate_on_submit():
        flash(_("Please give a reason for declining."), "error")
        return back_to(session, "#requests")
    try:
        services.decide_request(place, accept=accept, reason=form.reason.data, actor=current_user)
    except CapacityExceeded:
        fail()
        flash(_("The session is full."), "error")
        return back_to(session, "#requests")
    flash(_("Request accepted.") if accept else _("Request declined."), "success")
    return back_to(session, "#requests")
