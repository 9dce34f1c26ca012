"""One transaction per request, as Indico's request handler does it.

Views, API handlers and services only ``flush()``; the request commits once at its end when
the answer is a success (status below 400, redirects included) and rolls back otherwise
(an exception, a 4xx or 5xx answer, or a domain error turned into a redirect). The few views
that must commit before doing something outside the database say so with
``# commit-before: <why>``.
"""

from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for

from .bounds import BadParameter
from .errors import DomainError
from .extensions import db
from .http_policy import domain_error_json, error_answer, wants_json

FAILED = "trainer.transaction_failed"


def fail():
    """Roll this request's writes back at its end, whatever its answer."""
    # kept on the request itself: ``g`` may outlive a request (an app context shared by tests)
    request.environ[FAILED] = True


def register_transactions(app):
    """Commit or roll back once per request; pages show domain errors on the form they came from."""

    @app.after_request
    def end_transaction(response):
        if response.status_code < 400 and not request.environ.get(FAILED):
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def rollback_on_exception(exc):
        # an exception nobody answered (the after_request hooks did not run)
        if exc is not None:
            db.session.rollback()

    @app.errorhandler(DomainError)
    def domain_error_page(exc):
        fail()
        if wants_json():  # the API blueprint answers its own; this is for anything else there
            return domain_error_json(exc)
        if isinstance(exc, BadParameter):  # a typed address: no form to go back to
            return error_answer(exc.status, exc.message)
        flash(exc.message, "error")
        return redirect(back_url())


def back_url():
    """The page the form was on (the referrer, when it is on this site), else the home page."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if referrer and parts.netloc == request.host and parts.path.startswith("/"):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("main.home")
