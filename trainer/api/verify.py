"""Public, no sign-in: the province's public keys, the revocation list, a statement check."""

from datetime import UTC, datetime

from flask import jsonify

from ..certificates.statements import check_statement, published_keys, revocation_list
from ..certificates.verification import verify_rate_limit
from ..errors import Common, InvalidInput
from . import bp
from .json import json_body, need

STATEMENT_MAX = 4000  # characters of a statement or a scanned QR address


@bp.get("/verify/keys")
@verify_rate_limit
def verify_keys():
    return jsonify(published_keys())  # a short public cache (http_policy.py, CACHE_BY_ENDPOINT)


@bp.get("/verify/revoked")
@verify_rate_limit
def verify_revoked():
    return jsonify(
        revoked=revocation_list(), generated_at=datetime.now(UTC).isoformat(timespec="seconds")
    )


@bp.post("/verify/statement")
@verify_rate_limit
def verify_statement():
    statement = need(json_body(), "statement", str)
    if len(statement) > STATEMENT_MAX:
        raise InvalidInput(Common.TOO_LONG, field="statement", maximum=STATEMENT_MAX)
    return jsonify(check_statement(statement).as_json())
