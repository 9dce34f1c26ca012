"""The one handler behind both sync endpoints (the tablet page's and the API's): check the
request, apply its items, answer in JSON."""

from flask import current_app, jsonify
from sqlalchemy.exc import IntegrityError

from ..accounts.scope import scope_for
from ..errors import Common, DomainError, InvalidInput, NotFound
from ..extensions import db
from ..http_policy import domain_error_json
from ..transaction import fail
from .checkin_keys import CheckinKey
from .scope import can_schedule
from .sync import apply_items


def checkin_key():
    return CheckinKey.from_config(current_app.config)


def sync_answer(user, body):
    """Apply the items of a sync request (both the page's and the API's endpoint)."""
    if not can_schedule(scope_for(user)):
        return domain_error_json(NotFound(Common.NOT_FOUND))
    items = body.get("items") if isinstance(body, dict) else None
    limit = current_app.config["SYNC_BATCH_LIMIT"]
    if not isinstance(items, list) or not 0 < len(items) <= limit:
        return domain_error_json(InvalidInput(Common.SYNC_ITEMS, minimum=1, maximum=limit))
    for attempt in (1, 2):
        try:
            answers = apply_items(scope_for(user), user, items, checkin_key=checkin_key())
            db.session.commit()  # commit-before: a device id another request wrote shows here
        except DomainError as exc:
            fail()
            return domain_error_json(exc)
        except IntegrityError:  # the same device id committed meanwhile by another request
            db.session.rollback()  # commit-before: try again after the other's commit
            if attempt == 2:
                raise
        else:
            return jsonify(items=answers, received=len(answers))
