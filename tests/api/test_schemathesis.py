"""Schemathesis against /api/v1/openapi.json: generated requests never get a 5xx.

Every operation of the document is driven with bounded examples (valid and invalid data)
through the WSGI app with an admin token, so every scope check passes and the handlers
themselves meet the odd input. The answers must also be what the document says: a listed
status code, JSON where JSON is declared, and bodies that fit the response schemas.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.generation import GenerationMode

from trainer import create_app
from trainer.accounts.services import issue_token
from trainer.api.openapi import document

from .. import factories

EXAMPLES = settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def can_be_wrong(operation):
    """Invalid data exists only for a body or a typed parameter (any text is a valid code)."""
    parameters = operation.get("parameters", ())
    return "requestBody" in operation or any(
        p["schema"].get("type") != "string" for p in parameters
    )


def cases():
    """(path, method, mode) for every documented operation, read from the document itself:
    valid data everywhere, invalid data wherever there can be any."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "collect",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PUBLIC_BASE_URL": "https://trainer.example.vn",
        }
    )
    with app.test_request_context():
        paths = document()["paths"]
    result = []
    for path, ops in paths.items():
        for method, operation in ops.items():
            result.append(
                pytest.param(
                    path,
                    method.upper(),
                    GenerationMode.POSITIVE,
                    id=f"{method.upper()} {path} valid",
                )
            )
            if can_be_wrong(operation):
                result.append(
                    pytest.param(
                        path,
                        method.upper(),
                        GenerationMode.NEGATIVE,
                        id=f"{method.upper()} {path} invalid",
                    )
                )
    return result


@pytest.fixture
def admin_headers(db, tree):
    factories.make_staff(tree["DB-A-S1"], "Lò Văn Thắng", staff_code="DB000001")
    user = factories.make_user("admin", tree["DB"])
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(("path", "method", "mode"), cases())
def test_generated_requests_get_no_server_error(app, admin_headers, path, method, mode):
    app.config["RATELIMIT_ENABLED"] = False  # the limiter is tested on its own
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]

    @EXAMPLES
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(headers=admin_headers)
        case.validate_response(response, checks=CHECKS, headers=admin_headers)

    run()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sessions/9223372036854775808",
        "/api/v1/sessions/2147483648",
        "/sessions/99999999999999999999",
    ],
)
def test_an_id_beyond_any_row_is_not_found(client, admin_headers, path):
    """Found by schemathesis: a 64-bit id overflowed the SQLite driver (500)."""
    assert client.get(path, headers=admin_headers).status_code == 404
