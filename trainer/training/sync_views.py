"""Working without a connection: the download for the tablet, the sync endpoint, the cards."""

from functools import wraps

import segno
from flask import abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import IntegrityError

from ..accounts.scope import scope_for
from ..bounds import json_request
from ..errors import Common, DomainError
from ..extensions import db
from ..i18n import select_locale
from ..transaction import fail
from .blueprint import bp
from .checkin_keys import ExportKey
from .labels import SYNC_REASONS
from .offline import offline_bundle
from .scope import can_schedule
from .sync import APPLIED, REFUSED, SUPERSEDED
from .sync_handler import checkin_key, sync_answer
from .unsent_file import UnsentFileError, load_unsent_file

OUTCOMES = (APPLIED, SUPERSEDED, REFUSED)
#: Why an item was not applied, as the tablet's rows say it.


def signed_in_json(view):
    """Like ``login_required``, but a script gets 401 JSON instead of the sign-in page."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            # the one error shape: a stable code, the message beside it
            message = _("Please sign in.")
            return jsonify(error=Common.UNAUTHORIZED, message=message, signed_in=False), 401
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
    return jsonify(bundle)


@bp.route("/sessions/sync", methods=["GET"])
@signed_in_json
def sync_state():
    """Who is signed in, with a fresh CSRF token: unsent marks wait for their own user."""
    state = {"user_id": current_user.id, "csrf_token": generate_csrf()}
    if can_schedule(scope_for(current_user)):  # who marks signs files of unsent marks
        state["export_key"] = ExportKey(checkin_key(), current_user.id).seed_b64
    return jsonify(state)


@bp.route("/sessions/sync", methods=["POST"])
@signed_in_json
def sync():
    """Marks and results made on the tablet, each applied at most once (see sync.py)."""
    return sync_answer(current_user, json_request())


@bp.route("/sessions/unsent-file", methods=["GET", "POST"])
@login_required
def unsent_file():
    """Load a file of unsent marks saved on a tablet ("Xuất dữ liệu chưa gửi"): its signature
    is checked, then each item goes through the same idempotent sync as the tablet's own."""
    scope = scope_for(current_user)
    if not can_schedule(scope):
        abort(404)
    answers, author, error = None, None, None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            error = _("Choose the file saved on the tablet.")
        else:
            data = upload.read()
            for attempt in (1, 2):
                try:
                    author, answers = load_unsent_file(scope, current_user, data, checkin_key())
                    db.session.commit()  # commit-before: the tablet may sync the same ids now
                except UnsentFileError as exc:
                    error = exc.message
                except DomainError as exc:  # a malformed item: nothing of the file is applied
                    fail()
                    error = exc.message
                except IntegrityError:  # the same device id committed meanwhile by a sync
                    db.session.rollback()  # commit-before: try again after the other's commit
                    if attempt == 2:
                        raise
                    continue
                break
    status = 400 if error else 200
    if answers is not None:
        counts = {o: sum(a["outcome"] == o for a in answers) for o in OUTCOMES}
    else:
        counts = {}
    return render_template(
        "training/unsent_file.html",
        answers=answers,
        author=author,
        error=error,
        counts=counts,
        reasons=SYNC_REASONS,
    ), status


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
