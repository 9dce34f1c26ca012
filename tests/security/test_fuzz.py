"""Importers never crash: random bytes and random cells either import or give the row report.
Pages and API never answer 500 to edge input (finding 14.13): dates from year 1 to 9999,
page numbers beyond 64 bits, numbers up to 10**30, lone surrogates and deep nesting in
JSON; every API error is in the one shape with a code the OpenAPI document lists."""

import io
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from trainer.accounts.services import issue_token
from trainer.api.openapi import ERROR_CODES
from trainer.imports import KINDS, importer_for
from trainer.imports.base import run_import

from .. import factories

COLUMNS = {
    "orgunits": ["code", "name", "kind", "parent_code"],
    "staff": [
        "staff_code",
        "full_name",
        "org_code",
        "position",
        "gender",
        "birth_date",
        "email",
        "phone",
        "status",
    ],
    "certificates": ["staff_code", "level", "number", "issued_on", "issuer", "expires_on"],
    "targets": ["org_code", "level", "year", "percent"],
}
CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.sampled_from(
        ["DB", "DB-A-S1", "basic", "31/02/1990", "giáo viên", "=1+1", "Nữ", "120", "2026"]
    ),
    st.sampled_from(["0001-01-01", "9999-12-31", "31/12/9999", "01/01/0001", "99999"]),
    st.sampled_from([date(1, 1, 1), date(9999, 12, 31)]),
)
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check(report):
    assert report.ok or report.problem is not None or report.errors
    for error in report.errors:
        assert error.row >= 1 and error.column and str(error.reason)


@FUZZ
@given(kind=st.sampled_from(KINDS), data=st.binary(max_size=400))
def test_random_bytes(db, tree, kind, data):
    check(run_import(importer_for(kind), "upload.csv", data, dry_run=True))
    db.session.rollback()


@FUZZ
@given(
    kind=st.sampled_from(KINDS),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=10), max_size=6),
    as_xlsx=st.booleans(),
)
def test_random_cells(db, tree, kind, rows, as_xlsx):
    header = COLUMNS[kind]
    if as_xlsx:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:  # a spreadsheet cannot hold control characters at all
            sheet.append(
                [
                    ILLEGAL_CHARACTERS_RE.sub("", v)
                    if isinstance(v, str)
                    else str(v)
                    if isinstance(v, float)
                    else v
                    for v in row
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        data, name = buffer.getvalue(), "upload.xlsx"
    else:
        lines = [",".join(header)] + [
            ",".join("" if v is None else str(v).replace(",", " ").replace("\n", " ") for v in row)
            for row in rows
        ]
        data, name = "\n".join(lines).encode("utf-8"), "upload.csv"
    check(run_import(importer_for(kind), name, data, dry_run=True))
    db.session.rollback()


def test_a_csv_cell_past_the_field_limit_gives_the_report(db, tree):
    for kind in KINDS:
        header = ",".join(COLUMNS[kind])
        data = f"{header}\n{'x' * 140_000},a\n".encode()
        check(run_import(importer_for(kind), "upload.csv", data, dry_run=True))


EDGE_DATE = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "2026-02-30", "x"]),
)
EDGE_PAGE = st.one_of(
    st.integers(-(2**70), 2**70).map(str), st.sampled_from(["1e9", "", " ", "0x10", "１"])
)
TEXT = st.one_of(st.text(max_size=8), st.sampled_from(["\ud800", "Lò\udfffThị", "IU01", "DB-A"]))
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=20,
)
DATE_URLS = [
    "/sessions/week?start={}",
    "/sessions?date_from={}",
    "/coverage?as_of={}",
    "/admin/audit?from={}",
    "/api/v1/coverage?as_of={}",
    "/api/v1/coverage/breakdown?by=gender&as_of={}",
    "/api/v1/orgunits/DB?as_of={}",
    "/api/v1/sessions?from={}",
]
PAGE_URLS = ["/sessions?page={}", "/staff?page={}", "/jobs?page={}", "/api/v1/staff?page={}"]
POSTS = ["/api/v1/sessions", "/api/v1/results", "/api/v1/certificates", "/api/v1/sync"]
SESSION_FIELDS = {
    "module": "IU01",
    "title": "Tin học",
    "trainer": "FZ1",
    "org": "DB-A",
    "starts_at": "2030-01-07T08:00:00+07:00",
    "ends_at": "2030-01-07T10:00:00+07:00",
    "capacity": 10,
}


@pytest.fixture
def signed_in(app, client, db, tree, login_as):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["RATELIMIT_ENABLED"] = False
    user = login_as("admin")
    factories.make_staff(tree["DB-A"], "Lò Văn Thắng", "it_teacher", staff_code="FZ1")
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def answered(response, url):
    assert response.status_code < 500, (url, response.status_code)
    if response.status_code >= 400 and url.startswith("/api/"):
        body = response.get_json()
        assert body["error"] in ERROR_CODES and body["message"], (url, body)


@FUZZ
@given(
    day=EDGE_DATE, page=EDGE_PAGE, url=st.sampled_from(DATE_URLS), paged=st.sampled_from(PAGE_URLS)
)
def test_edge_query_values_never_fail(client, signed_in, day, page, url, paged):
    for target in (url.format(day), paged.format(page)):
        answered(client.get(target, headers=signed_in), target)


@FUZZ
@given(
    url=st.sampled_from(POSTS),
    body=st.one_of(
        JSON,
        st.dictionaries(st.sampled_from(sorted(SESSION_FIELDS)), JSON).map(
            lambda extra: SESSION_FIELDS | extra
        ),
    ),
    depth=st.sampled_from([0, 0, 25, 5_000, 100_000]),
)
def test_edge_json_bodies_never_fail(client, signed_in, url, body, depth):
    text = "[" * depth + json.dumps(body) + "]" * depth
    response = client.post(url, data=text, headers=signed_in | {"Content-Type": "application/json"})
    answered(response, url)
