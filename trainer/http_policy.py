"""Security headers and error pages (HTML for pages, JSON under /api/)."""

from flask import has_request_context, jsonify, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .errors import Common
from .extensions import db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class RowIdConverter(IntegerConverter):
    """``<int:…>`` in every route: a row id, so at most the largest 32-bit integer.

    A larger number in a URL is simply not found (404) instead of overflowing the
    database driver."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def register_url_converters(app):
    """Before any blueprint: the rules are compiled with the converters known then."""
    app.url_map.converters["int"] = RowIdConverter


def static_fingerprint(app, name):
    """The first 12 hex digits of the SHA-256 of static file ``name`` ("0" if missing)."""
    import hashlib
    from pathlib import Path

    hashes = app.extensions.setdefault("static_fingerprints", {})
    if name not in hashes:
        path = Path(app.static_folder) / name
        hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "0"
    return hashes[name]


def register_static_fingerprints(app):
    """``url_for('static', …)`` adds ``?v=<hash of the file>``: a changed file gets a new URL,
    so the browser may keep every static file for a year (weak mountain connections)."""

    def fingerprint(endpoint, values):
        if endpoint != "static" or "filename" not in values or "v" in values:
            return
        values["v"] = static_fingerprint(app, values["filename"])

    app.url_defaults(fingerprint)


# The cache policy, in this one place (README, "Security model"): whatever is not listed here
# is private or may change at any moment (pages, exports, JSON, one-time passwords) and is
# never stored by a browser or a proxy.
NO_STORE = "no-store"
STATIC_FOR_A_YEAR = "public, max-age=31536000, immutable"  # its URL changes with its content
# Fetched by every verification page to refresh its offline copy: a short shared cache.
PUBLIC_CACHE = "public, max-age=300"
CACHE_BY_ENDPOINT = {
    "main.service_worker": "no-cache",  # updates reach tablets at once
    "api.verify_keys": PUBLIC_CACHE,
    "api.verify_revoked": PUBLIC_CACHE,
    # the browser's PDF viewer may keep it while open, but asks again (ETag) before reuse
    "certificates.download": "private, no-cache",
}


def cache_control_for(app, response):
    """The Cache-Control of ``response`` to the current request, by the policy above."""
    if response.status_code not in (200, 304):
        return NO_STORE  # a refusal or an error is never kept (nor a 429 shared)
    if request.endpoint == "static":
        name = (request.view_args or {}).get("filename", "")
        version = request.args.get("v")
        if version and version == static_fingerprint(app, name):
            return STATIC_FOR_A_YEAR
        return "no-cache"  # an address without the file's hash: ask again each time
    return CACHE_BY_ENDPOINT.get(request.endpoint, NO_STORE)


def register_cache_policy(app):
    """Set every answer's Cache-Control from one policy; views do not set their own."""

    @app.after_request
    def set_cache_control(response):
        policy = cache_control_for(app, response)
        response.headers["Cache-Control"] = policy
        if policy != STATIC_FOR_A_YEAR:
            response.headers.pop("Expires", None)
        return response


class SessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie is Secure whenever the request came over HTTPS
    (or always, with SESSION_COOKIE_SECURE)."""

    def get_cookie_secure(self, app):
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def register_https(app):
    """Trust the configured proxies' forwarded address and scheme; Secure cookies on HTTPS."""
    app.session_interface = SessionInterface()
    if count := app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_security_headers(app):
    """Send a strict CSP and the usual hardening headers with every answer."""

    @app.after_request
    def set_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def wants_json():
    """API calls, and the page scripts that ask for JSON (the tablet's sync)."""
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


STATUS_CODES = {
    400: Common.BAD_REQUEST,
    401: Common.UNAUTHORIZED,
    403: Common.FORBIDDEN,
    404: Common.NOT_FOUND,
    405: Common.METHOD_NOT_ALLOWED,
    413: Common.TOO_LARGE,
    429: Common.RATE_LIMITED,
    503: Common.DATABASE_UNAVAILABLE,
}


def error_answer(status, message, code=None, **extra):
    """A JSON error under /api/ (a stable code and the message), else the error page."""
    if wants_json():
        code = code or STATUS_CODES.get(status, Common.SERVER_ERROR)
        return jsonify(error=str(code), message=str(message), **extra), status
    return render_template("errors/error.html", status=status, message=message), status


def domain_error_json(exc):
    """The JSON answer of a domain error: its stable code, a human message, its details."""
    return jsonify(error=str(exc.code), message=exc.message, **exc.details), exc.status


def register_errors(app):
    """Turn HTTP errors, CSRF failures and a lost database into friendly answers."""
    messages = {
        400: lambda: _("The request could not be understood."),
        401: lambda: _("Please sign in."),
        403: lambda: _("You may not do this."),
        404: lambda: _("This page does not exist."),
        405: lambda: _("This action is not allowed here."),
        413: lambda: _("The file is too large."),
        429: lambda: _("Too many attempts. Please wait a minute and try again."),
        500: lambda: _("Something went wrong on our side. Please try again."),
        503: lambda: _("The database is not reachable right now. Please try again shortly."),
    }

    def message_for(status):
        return messages.get(status, messages[500])()

    @app.errorhandler(HTTPException)
    def http_error(exc):
        status = exc.code or 500
        return error_answer(status, message_for(status))

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return error_answer(
            400, _("The form has expired. Please reload the page and try again."), Common.CSRF
        )

    @app.errorhandler(OperationalError)
    def database_lost(exc):
        db.session.rollback()
        return error_answer(503, message_for(503))

    @app.errorhandler(500)
    def server_error(exc):
        return error_answer(500, message_for(500))
