"""Vietnam's date: "today" on a server that runs on UTC (7 hours behind in the morning)."""

from datetime import datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def local_today():
    """Today's date in Asia/Ho_Chi_Minh."""
    return datetime.now(LOCAL).date()
