"""The certificates blueprint; routes live in views, admin_views, design_views, verify_views."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)


def register(app):
    """Load the view modules (they add routes to ``bp``) and register the blueprint."""
    from . import admin_views, design_views, verify_views, views  # noqa: F401
    from .statements import register_keyring

    register_keyring(app)
    app.register_blueprint(bp)
