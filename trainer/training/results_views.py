"""Entering results: a whole session roster in one form, or one score from a profile."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.scope import Capability, scope_for
from ..curriculum import services
from ..errors import InvalidInput
from ..timeutil import local_date, local_today
from ..transaction import fail
from .blueprint import bp
from .forms import ResultForm
from .queries import roster
from .scope import cancelled_redirect, managed_session_or_404


def format_score(score):
    """``82`` for 82.00, ``82.5`` for 82.50: a score as it was typed."""
    return f"{score:f}".rstrip("0").rstrip(".") if "." in f"{score:f}" else f"{score:f}"


@bp.route("/sessions/<int:session_id>/results", methods=["GET", "POST"])
@login_required
def session_results(session_id):
    session = managed_session_or_404(scope_for(current_user), session_id, Capability.RECORD_RESULTS)
    if (back := cancelled_redirect(session)) is not None:
        return back
    enrollments = roster(session)
    errors = {}
    assessed_on = local_date(session.starts_at)
    # a reopened form shows the scores already entered for the session's day, to correct
    staff_ids = [e.staff_id for e in enrollments]
    earlier = services.results_of_day(session.module, assessed_on, staff_ids)
    values = {
        e.staff.staff_code: format_score(earlier[e.staff_id].score)
        for e in enrollments
        if e.staff_id in earlier
    }
    if request.method == "POST":
        values = {}
        for e in enrollments:
            raw = request.form.get(f"score-{e.staff.staff_code}", "").strip().replace(",", ".")
            values[e.staff.staff_code] = raw
            if raw:
                try:
                    services.record_or_correct(
                        e.staff,
                        session.module,
                        raw,
                        assessed_on,
                        recorded_by=current_user,
                        allow_self=services.allows_own_results(current_app.config),
                    )
                except InvalidInput:
                    errors[e.staff.staff_code] = _("Enter a score from 0 to 100.")
        if not errors:
            flash(_("%(n)d result(s) saved.", n=sum(1 for v in values.values() if v)), "success")
            return redirect(url_for("training.detail", session_id=session.id))
    # all or nothing: with an error the form comes back with what was typed, nothing saved
    return render_template(
        "training/session_results.html",
        session=session,
        enrollments=enrollments,
        errors=errors,
        values=values,
    ), 422 if errors else 200


@bp.route("/staff/<code>/results", methods=["POST"])
@login_required
def add_result(code):
    staff = scope_for(current_user).require(Capability.RECORD_RESULTS).staff_or_404(code)
    form = ResultForm()
    form.module.choices = [(m.code, m.code) for m in services.all_modules()]
    if form.validate_on_submit():
        try:
            services.record_result(
                staff,
                services.module_by_code(form.module.data),
                form.score.data,
                form.assessed_on.data or local_today(),
                recorded_by=current_user,
                allow_self=services.allows_own_results(current_app.config),
            )
        except InvalidInput:
            fail()
            flash(_("Enter a score from 0 to 100 and a date that is not in the future."), "error")
        else:
            flash(_("Result saved."), "success")
    else:
        flash(_("Enter a score from 0 to 100 and a date that is not in the future."), "error")
    return redirect(url_for("directory.staff_profile", code=code) + "#results")
