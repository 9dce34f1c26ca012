"""The training blueprint; its routes live in views, roster_views, checkin_views, sync_views
and results_views."""

from flask import Blueprint

bp = Blueprint("training", __name__)


def register(app):
    """Load the view modules (they add routes to ``bp``) and register the blueprint."""
    from . import checkin_views, results_views, roster_views, sync_views, views  # noqa: F401

    app.register_blueprint(bp)
