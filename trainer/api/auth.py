"""Bearer-token authentication and JSON errors for the API."""

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _
from limits import parse

from ..accounts.scope import Scope
from ..accounts.services import user_for_token
from ..errors import DomainError
from ..extensions import db, limiter
from . import bp

PUBLIC_ENDPOINTS = {"api.verify", "api.openapi", "api.verify_keys", "api.verify_revoked",
                    "api.verify_statement"}


def bearer_token():
    """The token of an ``Authorization: Bearer …`` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


@bp.before_request
def authenticate():
    """Every API call but the public ones needs a valid bearer token; cookies are ignored."""
    g.api_user = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    user = user_for_token(bearer_token())
    if user is None:
        limiter_hit = _failed_token_limit()
        if limiter_hit is not None:
            return limiter_hit
        return jsonify(error=_("A valid API token is required.")), 401
    if db.session.dirty:
        db.session.commit()  # keeps last_used_at
    g.api_user = user
    g.scope = Scope(user)
    return None


def _failed_token_limit():
    """Count failed token attempts per address; 429 once there are too many."""
    if not limiter.enabled:
        return None
    item = parse(current_app.config["API_FAILED_AUTH_LIMIT"])
    if not limiter.limiter.hit(item, "api-auth-fail", request.remote_addr or "-"):
        return jsonify(error=_("Too many attempts. Please wait a minute and try again.")), 429
    return None


@bp.errorhandler(DomainError)
def domain_error(exc):
    return jsonify(error=exc.message, **exc.details), exc.status


def scope():
    """The scope of the user making this API call."""
    return g.scope
