"""The accounts blueprint; its routes live in views (sign-in, password) and admin_views
(users and API tokens, for administrators)."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)


def register(app):
    """Load the view modules (they add routes to ``bp``) and register the blueprint."""
    from . import admin_views, views  # noqa: F401

    app.register_blueprint(bp)
