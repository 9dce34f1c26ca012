"""What a trainer's tablet downloads to work without a connection."""

from datetime import UTC, datetime, timedelta

from flask import url_for
from sqlalchemy import and_, or_, select

from ..accounts.scope import scope_for
from ..extensions import db
from .checkin_keys import ExportKey
from .models import TrainingSession
from .queries import roster, with_details
from .scope import session_condition

#: Static files an offline session page needs (the QR decoder and the signature fallback are
#: only fetched when scanning, but must be on the device before the connection goes).
OFFLINE_ASSETS = (
    "css/app.css",
    "img/favicon.svg",
    "js/busy.js",
    "js/offline.js",
    "js/attendance.js",
    "js/results.js",
    "js/scan.js",
    "js/vendor/jsQR.js",
    "js/vendor/nacl.min.js",
)


def coming_sessions(user, days, now=None):
    """The sessions that run now or start within ``days`` days which ``user`` leads or which
    take place at their own school (a colleague's session there that the trainer may manage:
    the one tablet of the school's computer room marks them all)."""
    now = now or datetime.now(UTC)
    staff = user.staff
    at_home = and_(
        TrainingSession.org_unit_id == staff.org_unit_id, session_condition(scope_for(user))
    )
    return db.session.scalars(
        with_details(
            select(TrainingSession)
            .where(
                or_(TrainingSession.trainer_id == staff.id, at_home),
                TrainingSession.status != "cancelled",
                TrainingSession.ends_at >= now,
                TrainingSession.starts_at < now + timedelta(days=days),
            )
            .order_by(TrainingSession.starts_at)
        )
    ).all()


def session_entry(session, locale):
    return {
        "id": session.id,
        "title": session.title,
        "module": {
            "code": session.module.code,
            "name": session.module.name(locale),
            "pass_score": session.module.pass_score,
        },
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "late_after_minutes": session.late_after_minutes,
        "venue": session.org_unit.name,
        "location": session.location,
        "url": url_for("training.detail", session_id=session.id),
        "results_url": url_for("training.session_results", session_id=session.id),
        "roster": [
            {
                "staff_code": e.staff.staff_code,
                "full_name": e.staff.full_name,
                "status": e.status,
                "marked_at": e.marked_at.isoformat() if e.marked_at else None,
            }
            for e in roster(session)
        ],
    }


def offline_bundle(user, checkin_key, *, days, locale, now=None):
    """The sessions of the coming days with their rosters and modules, the check-in public
    key, and the pages and files the service worker must keep."""
    now = now or datetime.now(UTC)
    sessions = coming_sessions(user, days, now) if user.staff is not None else []
    entries = [session_entry(s, locale) for s in sessions]
    pages = [url_for("main.home")] + [u for e in entries for u in (e["url"], e["results_url"])]
    return {
        "user": {"id": user.id, "name": user.display_name},
        "generated_at": now.isoformat(),
        "until": (now + timedelta(days=days)).isoformat(),
        "checkin_key": {"kid": checkin_key.kid, "public_key": checkin_key.public_b64},
        # this user's key to sign a file of unsent marks on the device (offline)
        "export_key": ExportKey(checkin_key, user.id).seed_b64,
        "sessions": entries,
        "pages": pages,
        "assets": [url_for("static", filename=name) for name in OFFLINE_ASSETS],
    }
