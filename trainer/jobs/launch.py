"""Starting a job from a request (page or API): the app's queue and the user's language."""

from flask import current_app
from flask_babel import get_locale

from .queue import queue_of
from .services import start_job


def launch(kind, params, *, user, org_unit=None):
    """Start a job of ``kind`` for ``user``; its messages will be in the request's language."""
    params = {**params, "locale": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])}
    return start_job(queue_of(current_app), kind, params, user=user, org_unit=org_unit)
