"""Bearer-token authentication and JSON errors for the API."""

from flask import current_app, g, jsonify, request
from limits import parse

from ..accounts.scope import Scope
from ..accounts.services import user_for_token
from ..errors import Common, DomainError
from ..extensions import limiter
from ..http_policy import domain_error_json
from . import bp

PUBLIC_ENDPOINTS = {
    "api.verify",
    "api.openapi",
    "api.verify_keys",
    "api.verify_revoked",
    "api.verify_statement",
}


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
        return jsonify(error=Common.UNAUTHORIZED, message=str(Common.UNAUTHORIZED.text)), 401
    # a changed last_used_at is saved by the request's own commit, if the request succeeds
    g.api_user = user
    g.scope = Scope(user)
    return None


def _failed_token_limit():
    """Count failed token attempts per address; 429 once there are too many."""
    if not limiter.enabled:
        return None
    item = parse(current_app.config["API_FAILED_AUTH_LIMIT"])
    if not limiter.limiter.hit(item, "api-auth-fail", request.remote_addr or "-"):
        return jsonify(error=Common.RATE_LIMITED, message=str(Common.RATE_LIMITED.text)), 429
    return None


@bp.errorhandler(DomainError)
def domain_error(exc):
    return domain_error_json(exc)


def scope():
    """The scope of the user making this API call."""
    return g.scope
