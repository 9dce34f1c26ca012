"""The personal calendar feed (a secret address for phone calendar apps) and its renewal."""

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select

from ..accounts.models import User
from ..accounts.services import renew_calendar_feed
from ..extensions import db
from .blueprint import bp
from .calendar import calendar_of
from .checkin_views import ics_response
from .models import Enrollment, TrainingSession
from .queries import with_details


def feed_serializer():
    """Signs feed addresses with the app's secret (their own salt: no other token fits)."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="calendar-feed")


def feed_url_for(user):
    """The secret address of a user's calendar feed (for phone calendar apps)."""
    token = feed_serializer().dumps([user.id, user.calendar_feed_version or 0])
    return current_app.config["PUBLIC_BASE_URL"] + url_for("training.feed", token=token)


def feed_user(token):
    """The active user whose current feed address holds ``token``, else None.

    An address made before feeds had versions holds the bare user id: it is version 0, so it
    works until the first renewal."""
    try:
        payload = feed_serializer().loads(token)
    except BadSignature:
        return None
    if isinstance(payload, int):
        payload = [payload, 0]
    if not (
        isinstance(payload, list)
        and len(payload) == 2
        and all(type(part) is int and 0 <= part < 2**31 for part in payload)
    ):
        return None
    user_id, version = payload
    user = db.session.get(User, user_id)
    if user is None or version != (user.calendar_feed_version or 0):
        return None
    if not user.is_active or user.staff_id is None:
        return None
    return user


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
