"""Working without a connection: the download for the tablet, the sync endpoint, the cards."""

from functools import wraps

import segno
from flask import abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from ..accounts.scope import scope_for
from ..i18n import select_locale
from .blueprint import bp
from .offline import offline_bundle
from .scope import can_schedule
from .sync_handler import checkin_key, sync_answer


def signed_in_json(view):
    """Like ``login_required``, but a script gets 401 JSON instead of the sign-in page."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return jsonify(error=_("Please sign in."), signed_in=False), 401
        return view(*args, **kwargs)

    return wrapper


@bp.route("/sessions/offline.json")
@signed_in_json
def offline_data():
    """The coming sessions, rosters, modules and the check-in key, for the tablet."""
    if not can_schedule(scope_for(current_user)):
        abort(404)
    bundle = offline_bundle(
        current_user, checkin_key(), days=current_app.config["OFFLINE_DAYS"], locale=select_locale()
    )
    response = jsonify(bundle)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sessions/sync", methods=["GET"])
@signed_in_json
def sync_state():
    """Who is signed in, with a fresh CSRF token: unsent marks wait for their own user."""
    response = jsonify(user_id=current_user.id, csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sessions/sync", methods=["POST"])
@signed_in_json
def sync():
    """Marks and results made on the tablet, each applied at most once (see sync.py)."""
    return sync_answer(current_user, request.get_json(silent=True))


@bp.route("/me/card")
@login_required
def my_card():
    """A teacher's personal check-in card, to print: a QR code of their signed staff code."""
    staff = current_user.staff
    if staff is None:
        abort(404)
    card = checkin_key().card(staff.staff_code)
    qr = segno.make(card, error="m").svg_data_uri(scale=6, border=2)
    return render_template("training/card.html", staff=staff, qr=qr)
