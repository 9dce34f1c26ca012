"""The directory's blueprints: ``directory`` (org tree, staff list, profile; views.py) and
``admin`` (imports, reorganisations, bulk accounts, audit log; admin_views.py and
reorganisation_views.py)."""

from flask import Blueprint

bp = Blueprint("directory", __name__)
admin_bp = Blueprint("admin", __name__)


def register(app):
    """Load the view modules (they add routes to the blueprints) and register both."""
    from ..forms import picker
    from . import admin_views, picker_views, reorganisation_views, views  # noqa: F401

    app.add_template_global(picker)
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
