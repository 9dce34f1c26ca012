"""Entering results: a whole session roster in one form, or one score from a profile."""


from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.scope import scope_for
from ..errors import InvalidInput
from ..extensions import db
from ..timeutil import local_date, local_today
from ..training.queries import roster
from ..training.scope import managed_session_or_404
from . import services
from .blueprint import bp
from .edge import can_issue
from .forms import ResultForm


@bp.route("/sessions/<int:session_id>/results", methods=["GET", "POST"])
@login_required
def session_results(session_id):
    session = managed_session_or_404(scope_for(current_user), session_id)
    enrollments = roster(session)
    errors, values = {}, {}
    assessed_on = local_date(session.starts_at)
    if request.method == "POST":
        for e in enrollments:
            raw = request.form.get(f"score-{e.staff.staff_code}", "").strip().replace(",", ".")
            values[e.staff.staff_code] = raw
            if raw:
                try:
                    services.record_result(e.staff, session.module, raw, assessed_on,
                                           recorded_by=current_user)
                except InvalidInput:
                    errors[e.staff.staff_code] = _("Enter a score from 0 to 100.")
        if errors:
            db.session.rollback()  # all or nothing: the form comes back with what was typed
        else:
            db.session.commit()
            flash(_("%(n)d result(s) saved.", n=sum(1 for v in values.values() if v)),
                  "success")
            return redirect(url_for("training.detail", session_id=session.id))
    return render_template("certificates/session_results.html", session=session,
                           enrollments=enrollments, errors=errors, values=values)


@bp.route("/staff/<code>/results", methods=["POST"])
@login_required
def add_result(code):
    scope = scope_for(current_user)
    if not can_issue(scope):
        abort(404)
    staff = scope.staff_or_404(code)
    form = ResultForm()
    form.module.choices = [(m.code, m.code) for m in services.all_modules()]
    if form.validate_on_submit():
        try:
            services.record_result(staff, services.module_by_code(form.module.data),
                                   form.score.data, form.assessed_on.data or local_today(),
                                   recorded_by=current_user)
        except InvalidInput:
            db.session.rollback()
            flash(_("Enter a score from 0 to 100 and a date that is not in the future."),
                  "error")
        else:
            db.session.commit()
            flash(_("Result saved."), "success")
    else:
        flash(_("Enter a score from 0 to 100 and a date that is not in the future."), "error")
    return redirect(url_for("directory.staff_profile", code=code) + "#results")
