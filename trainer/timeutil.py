"""Vietnam's date and time: "today" is the configured zone's date, never the server's UTC one.

A server runs on UTC; between 00:00 and 07:00 in Vietnam its ``date.today()`` is still
yesterday. Every default date goes through ``local_today()``; tests freeze ``utc_now``.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def utc_now():
    """The current time, timezone-aware in UTC: the one clock the helpers below read."""
    return datetime.now(UTC)


def local_zone():
    """The configured zone (``TIMEZONE``), Asia/Ho_Chi_Minh by default or outside an app."""
    name = current_app.config.get("TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def local_now():
    """The current time in the configured zone."""
    return utc_now().astimezone(local_zone())


def local_today():
    """Today's date in the configured zone."""
    return local_now().date()


def local_date(moment):
    """The date in the configured zone of an aware ``moment`` (a session's UTC start…)."""
    return moment.astimezone(local_zone()).date()
