"""iCalendar files: one per session, and a personal feed of a trainer's or teacher's sessions
(with the secret address of that feed)."""

from datetime import UTC, datetime

from flask import Response, current_app, url_for
from flask_babel import get_locale
from icalendar import Calendar, Event
from itsdangerous import BadSignature, URLSafeSerializer

from ..accounts.models import User
from ..extensions import db


def calendar_of(sessions, *, name, base_url):
    """An iCalendar document (bytes) with one event per session, the module's name in the
    request's language (the signed-in user's; a feed's ``?lang=``, else Vietnamese)."""
    locale = get_locale()
    cal = Calendar()
    cal.add("prodid", "-//trainer//digital skills programme//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.id}@{base_url.split('://')[-1]}")
        event.add("dtstamp", datetime.now(UTC))
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", f"{session.module.code} · {session.title}")
        event.add("location", ", ".join(p for p in (session.location, session.org_unit.name) if p))
        event.add("description", f"{session.module.name(locale)}\n{session.trainer.full_name}")
        event.add("url", f"{base_url}/sessions/{session.id}")
        event.add("status", "CANCELLED" if session.status == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


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


def ics_response(body, filename):
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
