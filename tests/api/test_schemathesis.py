"""Schemathesis against /api/v1/openapi.json: generated requests never get a 5xx.

Every operation of the document is driven with bounded examples (valid and invalid data)
through the WSGI app with an admin token, so every scope check passes and the handlers
themselves meet the odd input. The answers must also be what the document says: a listed
status code, JSON where JSON is declared, and bodies that fit the response schemas.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks
from schemathesis.generation import GenerationMode

from trainer import create_app
from trainer.accounts.services import issue_token
from trainer.api.openapi import ERROR_CODES, document

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


def documented_operations():
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "collect",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PUBLIC_BASE_URL": "https://trainer.example.vn",
        }
    )
    with app.test_request_context():
        return document()["paths"]


def cases():
    """(path, method, mode) for every documented operation, read from the document itself:
    valid data everywhere, invalid data wherever there can be any."""
    paths = documented_operations()
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


# The classes of edge input of issue 14.13, put by the schemathesis run into every documented
# parameter and body field they fit (dates by name: the document types them as strings).
EDGE_DATES = ["0001-01-01", "9999-12-31", "2024-02-30"]
EDGE_NUMBERS = [2**64, 10**30, -(2**63) - 1]
LONE_SURROGATE = "x\ud800"
DATE_NAMES = {"as_of", "from", "to", "assessed_on", "starts_at", "ends_at", "issued_on"}
DEEP = 100  # levels of nesting around a body (the bounded parser allows 20)


def edge_values(where, name, schema):
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return EDGE_NUMBERS
    if kind == "string" and name in DATE_NAMES:
        return EDGE_DATES
    if kind == "string" and where == "body":  # JSON escapes it; an address cannot carry it
        return [LONE_SURROGATE]
    return []


def edge_cases():
    """(path, method, where, name, value): every documented parameter and top-level body
    field with each edge value of its kind, and every body nested too deeply."""
    result = []
    for path, ops in documented_operations().items():
        for method, operation in ops.items():
            where_name = [
                (p["in"], p["name"], p["schema"]) for p in operation.get("parameters", ())
            ]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                props = body["schema"].get("properties", {})
                where_name += [("body", name, schema) for name, schema in props.items()]
                where_name.append(("body", "*deep*", {}))
            for where, name, schema in where_name:
                if where == "path" and schema.get("type") == "string":
                    continue  # any text is a code that is not found
                values = ["deep"] if name == "*deep*" else edge_values(where, name, schema)
                for value in values:
                    result.append(
                        pytest.param(
                            path,
                            method.upper(),
                            where,
                            name,
                            value,
                            id=f"{method.upper()} {path} {where}:{name}={value!r}"[:120],
                        )
                    )
    return result


def put_edge(case, where, name, value):
    if name == "*deep*":
        inner = case.body if isinstance(case.body, dict) else {}
        for _level in range(DEEP):
            inner = [inner]
        case.body = inner
    elif where == "path":
        case.path_parameters = {**(case.path_parameters or {}), name: value}
    elif where == "query":
        case.query = {**(case.query or {}), name: value}
    elif where == "body":
        case.body = {**(case.body if isinstance(case.body, dict) else {}), name: value}


@pytest.mark.parametrize(("path", "method", "where", "name", "value"), edge_cases())
def test_edge_values_in_every_operation_answer_a_coded_4xx(
    app, admin_headers, path, method, where, name, value
):
    """Dates at the ends of the calendar, numbers past 64 bits, lone surrogates and deep
    nesting, in every documented place they fit: never a 5xx, and a refusal is the one
    error shape with a stable code (issue 14.13)."""
    app.config["RATELIMIT_ENABLED"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]

    @settings(EXAMPLES, max_examples=2, phases=[Phase.explicit, Phase.generate])
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    def run(case):
        put_edge(case, where, name, value)
        response = case.call(headers=admin_headers)
        assert response.status_code < 500, (response.status_code, response.content)
        if response.status_code >= 400:
            body = response.json()
            assert body["error"] in ERROR_CODES and body["message"], body

    run()
