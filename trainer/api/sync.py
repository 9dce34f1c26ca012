"""``POST /api/v1/sync``: the items a device recorded without a connection (token users)."""

from flask import g

from ..bounds import json_request
from ..training.sync_handler import sync_answer
from . import bp


@bp.post("/sync")
def sync():
    return sync_answer(g.api_user, json_request())
