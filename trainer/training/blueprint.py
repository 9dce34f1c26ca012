"""The training blueprint; its routes live in views, roster_views, checkin_views, feed_views,
sync_views and results_views."""

from flask import Blueprint

bp = Blueprint("training", __name__)


def register(app):
    """Load the view modules (they add routes to ``bp``) and register the blueprint."""
    from . import (  # noqa: F401
        checkin_views,
        feed_views,
        results_views,
        roster_views,
        sync_views,
        views,
    )

    app.register_blueprint(bp)
