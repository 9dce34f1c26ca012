"""Vietnam's calendar date: "today" for every date rule (never ``date.today()`` on a UTC server)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def local_today():
    """Today's date in Vietnam."""
    return datetime.now(UTC).astimezone(LOCAL).date()
