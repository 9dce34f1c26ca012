"""The JSON API under /api/v1 (thin: it calls the same services as the pages)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import (  # noqa: E402,F401
    auth,
    certificates,
    coverage,
    imports,
    jobs,
    openapi,
    orgunits,
    sessions,
    staff,
    sync,
    verify,
)
