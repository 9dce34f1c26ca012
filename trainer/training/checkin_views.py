"""QR check-in, the printable sign-in sheet and the calendar file of a session."""

from datetime import timedelta

import segno
from flask import Response, abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.scope import Capability, scope_for
from ..extensions import db
from ..i18n import select_locale
from ..transaction import fail
from .blueprint import bp
from .calendar import calendar_of, ics_response
from .checkin import (
    check_in,
    check_in_locked,
    current_codes,
    find_session_for_code,
    record_failed_check_in,
)
from .errors import CheckInRefused
from .forms import CheckInCodeForm
from .models import Enrollment, TrainingSession
from .pdf import sign_in_sheet
from .queries import roster, running_for
from .scope import cancelled_redirect, managed_session_or_404, session_or_404

REFUSALS = {
    CheckInRefused.NOT_ENROLLED: lambda: _(
        "You are not on the roster of this session. Ask the trainer to enrol you."
    ),
    CheckInRefused.OUTSIDE_WINDOW: lambda: _(
        "Check-in is open from 30 minutes before the session starts until it ends."
    ),
    CheckInRefused.EXPIRED_CODE: lambda: _(
        "This code has expired. Scan the code on the trainer's screen again."
    ),
    CheckInRefused.ALREADY: lambda: _("You have already checked in to this session."),
}


def locked_message():
    return _(
        "Too many wrong codes. Self check-in is locked for %(minutes)d minutes: ask the "
        "trainer to mark your attendance.",
        minutes=current_app.config["CHECKIN_LOCK_MINUTES"],
    )


def locked(sessions):
    """True when the signed-in user, or one of ``sessions``, has had too many wrong codes."""
    config = current_app.config
    return check_in_locked(
        current_user,
        sessions,
        per_user=config["CHECKIN_FAILURES_PER_USER"],
        per_session=config["CHECKIN_FAILURES_PER_SESSION"],
        window=timedelta(minutes=config["CHECKIN_LOCK_MINUTES"]),
    )


def count_failure(sessions, reason):
    """Audit a wrong code on its own transaction (the check-in itself was rolled back)."""
    db.session.rollback()  # commit-before: the refused check-in's own writes are dropped…
    record_failed_check_in(current_user, sessions, reason)
    db.session.commit()  # commit-before: …but the failure counts although the answer is 409


def qr_svg(url):
    """The QR code of ``url`` as an SVG data URI (no script, allowed by the CSP)."""
    return segno.make(url, error="m").svg_data_uri(scale=8, border=2)


@bp.route("/sessions/<int:session_id>/checkin-code")
@login_required
def checkin_code(session_id):
    session = managed_session_or_404(
        scope_for(current_user), session_id, Capability.MARK_ATTENDANCE
    )
    if (back := cancelled_redirect(session)) is not None:
        return back
    token, short, remaining = current_codes(session, current_app.config["SECRET_KEY"])
    url = current_app.config["PUBLIC_BASE_URL"] + url_for(
        "training.checkin_link", session_id=session.id, token=token
    )
    return render_template(
        "training/checkin_code.html",
        session=session,
        short=short,
        qr=qr_svg(url),
        url=url,
        refresh=min(remaining + 1, 30),
    )


def do_check_in(session, code):
    staff = current_user.staff
    if staff is None:
        raise CheckInRefused(CheckInRefused.NOT_ENROLLED)
    result = check_in(
        session, staff, code, secret=current_app.config["SECRET_KEY"], user=current_user
    )
    return result


def enrolled_session_or_404(session_id):
    """The session if the signed-in user is on its roster; otherwise, in scope or not, it
    answers exactly as a session that does not exist (no title, no 409)."""
    session = None
    if current_user.staff_id is not None:
        session = db.session.scalar(
            select(TrainingSession)
            .join(Enrollment, Enrollment.session_id == TrainingSession.id)
            .where(TrainingSession.id == session_id, Enrollment.staff_id == current_user.staff_id)
        )
    if session is None:
        abort(404)
    return session


@bp.route("/checkin/<int:session_id>/<token>")
@login_required
def checkin_link(session_id, token):
    session = enrolled_session_or_404(session_id)
    if locked([session]):
        return render_template(
            "training/checkin_result.html", session=session, error=locked_message()
        ), 429
    try:
        enrollment = do_check_in(session, token)
    except CheckInRefused as exc:
        fail()
        if exc.code == CheckInRefused.EXPIRED_CODE:
            count_failure([session], exc.code)
        return render_template(
            "training/checkin_result.html", session=session, error=REFUSALS[exc.code]()
        ), 409
    return render_template(
        "training/checkin_result.html", session=session, enrollment=enrollment, error=None
    )


@bp.route("/checkin", methods=["GET", "POST"])
@login_required
def checkin_typed():
    form = CheckInCodeForm()
    status = 200
    if form.validate_on_submit():
        staff = current_user.staff
        sessions = running_for(staff) if staff else []
        if locked(sessions):
            form.code.errors.append(locked_message())
            status = 429
        elif (
            session := find_session_for_code(
                sessions, current_app.config["SECRET_KEY"], form.code.data
            )
        ) is None:
            count_failure(sessions, "no_session_with_code")
            form.code.errors.append(
                _(
                    "No session of yours has this code right now. Check the "
                    "code on the trainer's screen."
                )
            )
        else:
            try:
                enrollment = do_check_in(session, form.code.data)
            except CheckInRefused as exc:
                fail()
                form.code.errors.append(REFUSALS[exc.code]())
            else:
                return render_template(
                    "training/checkin_result.html",
                    session=session,
                    enrollment=enrollment,
                    error=None,
                )
    return render_template("training/checkin_typed.html", form=form), status


@bp.route("/sessions/<int:session_id>/sheet.pdf")
@login_required
def sheet(session_id):
    session = managed_session_or_404(
        scope_for(current_user), session_id, Capability.MARK_ATTENDANCE
    )
    pdf = sign_in_sheet(session, roster(session), locale=select_locale())
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="sign-in-{session.id}.pdf"'},
    )


@bp.route("/sessions/<int:session_id>.ics")
@login_required
def session_ics(session_id):
    session = session_or_404(scope_for(current_user), session_id)
    base = current_app.config["PUBLIC_BASE_URL"]
    return ics_response(
        calendar_of([session], name=session.title, base_url=base), f"session-{session.id}.ics"
    )
