"""The personal calendar feed (a secret address for phone calendar apps) and its renewal."""

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from ..accounts.services import renew_calendar_feed
from ..extensions import db
from .blueprint import bp
from .calendar import calendar_of, feed_user, ics_response
from .models import Enrollment, TrainingSession
from .queries import with_details


@bp.route("/calendar/<token>.ics")
def feed(token):
    """A trainer's or teacher's sessions, for calendar apps that cannot sign in."""
    user = feed_user(token)
    if user is None:
        abort(404)
    mine = or_(
        TrainingSession.trainer_id == user.staff_id,
        TrainingSession.id.in_(
            select(Enrollment.session_id).where(Enrollment.staff_id == user.staff_id)
        ),
    )
    sessions = db.session.scalars(
        with_details(select(TrainingSession).where(mine)).order_by(TrainingSession.starts_at)
    ).all()
    body = calendar_of(
        sessions, name=user.display_name, base_url=current_app.config["PUBLIC_BASE_URL"]
    )
    return ics_response(body, "trainer.ics")


@bp.route("/calendar/renew", methods=["POST"])
@login_required
def renew_feed():
    """A new feed address for the signed-in user; the old one stops working at once."""
    renew_calendar_feed(current_user, actor=current_user)
    flash(
        _(
            "Your calendar has a new address (shown below); the old one no longer works. "
            "Subscribe again with the new one in your phone's calendar."
        ),
        "success",
    )
    return redirect(url_for("main.home"))
