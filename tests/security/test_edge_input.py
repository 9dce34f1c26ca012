"""Finding 14.13: edge input answers 400 (or the form error) with a clear message, never 500.

Dates like 0001-01-01 or 9999-12-31 in every date parameter and field, page numbers beyond
64 bits, a capacity of 10**30, lone surrogates and deep nesting in JSON, a place request
accepted twice, a CSV cell over csv.field_size_limit(). One bounded parser
(``trainer.bounds``: dates 1900-01-01 to 2100-12-31, pages 1 to 1,000,000) reads them all."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select, update

from trainer.accounts.services import issue_token
from trainer.api.openapi import ERROR_CODES
from trainer.curriculum.models import Module
from trainer.errors import InvalidInput
from trainer.imports import importer_for
from trainer.imports.base import run_import
from trainer.org.models import Staff
from trainer.training import services
from trainer.training.models import Enrollment, PlaceRequest, TrainingSession
from trainer.training.values import RequestStatus

from .. import factories

EDGE_DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"]
EDGE_PAGES = [str(2**64), str(10**30), "1000001", "0", "-1", "x", "1e3"]
PAGES = ["/sessions/week?start={d}", "/sessions?date_from={d}", "/sessions?date_to={d}",
         "/coverage?as_of={d}", "/coverage/analysis?as_of={d}",
         "/coverage/uncertified?as_of={d}", "/coverage/export.csv?as_of={d}",
         "/admin/audit?from={d}", "/admin/audit?to={d}"]  # fmt: skip
API = ["/api/v1/coverage?as_of={d}", "/api/v1/coverage/breakdown?as_of={d}&by=gender",
       "/api/v1/orgunits/DB?as_of={d}", "/api/v1/sessions?from={d}",
       "/api/v1/sessions?to={d}T08:00:00%2B07:00"]  # fmt: skip
PAGED = ["/sessions", "/staff", "/admin/audit", "/jobs"]


@pytest.fixture
def admin(app, client, db, tree, login_as):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is an answer here, not an exception
    app.config["RATELIMIT_ENABLED"] = False
    user = login_as("admin")
    factories.make_staff(tree["DB-A"], "Lò Văn Thắng", "it_teacher", staff_code="TR1")
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def api_error(response):
    """The one error shape, with a documented code."""
    body = response.get_json()
    assert set(body) >= {"error", "message"} and body["message"], body
    assert body["error"] in ERROR_CODES, body
    return body


@pytest.mark.parametrize("day", EDGE_DATES)
def test_edge_dates_in_pages_answer_400(client, admin, day):
    for url in PAGES:
        response = client.get(url.format(d=day), headers={"Accept-Language": "en"})
        assert response.status_code == 400, url.format(d=day)
        text = response.get_data(as_text=True)
        # the bounds named: ISO on a bare error page, dd/mm/yyyy at a page's own date field
        assert "1900-01-01" in text or "01/01/1900" in text, url


@pytest.mark.parametrize("day", EDGE_DATES)
def test_edge_dates_in_the_api_answer_400(client, admin, day):
    for url in API:
        response = client.get(url.format(d=day), headers=admin)
        assert response.status_code == 400, url.format(d=day)
        assert api_error(response)["error"] == "out_of_range"


def test_malformed_dates_answer_400(client, admin):
    assert client.get("/sessions/week?start=2026-02-30").status_code == 400
    response = client.get("/api/v1/coverage?as_of=yesterday", headers=admin)
    assert response.status_code == 400 and api_error(response)["error"] == "bad_date"


@pytest.mark.parametrize("page", EDGE_PAGES)
def test_page_numbers_out_of_range_answer_400(client, admin, page):
    for url in PAGED:
        assert client.get(f"{url}?page={page}").status_code == 400, (url, page)
    response = client.get(f"/api/v1/staff?page={page}", headers=admin)
    assert response.status_code == 400
    assert api_error(response)["error"] in ("out_of_range", "wrong_type")


def test_the_last_page_number_still_answers(client, admin):
    for url in PAGED:
        assert client.get(f"{url}?page=1000000").status_code == 200, url


def session_body(**overrides):
    body = {
        "module": "IU01",
        "title": "Tin học cơ bản",
        "trainer": "TR1",
        "org": "DB-A",
        "location": "Phòng máy",
        "starts_at": "2030-01-07T08:00:00+07:00",
        "ends_at": "2030-01-07T10:00:00+07:00",
        "capacity": 10,
    }
    return body | overrides


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"capacity": 10**30}, "capacity_out_of_range"),
        ({"capacity": -(10**30)}, "capacity_out_of_range"),
        ({"starts_at": "0001-01-01T00:00:00+00:00",
          "ends_at": "0001-01-01T01:00:00+00:00"}, "out_of_range"),
        ({"starts_at": "0001-01-01T00:00:00+07:00"}, "out_of_range"),
        ({"ends_at": "9999-12-31T23:59:59-07:00"}, "out_of_range"),
        ({"title": "Tin \ud800 học"}, "hidden_characters"),
        ({"module": "\udfff"}, "hidden_characters"),
        ({"trainer": "TR\ud800"}, "hidden_characters"),
        ({"\ud800": 1}, "hidden_characters"),
    ],
)  # fmt: skip
def test_session_api_refuses_edge_values(client, db, admin, overrides, code):
    response = client.post(
        "/api/v1/sessions",
        data=json.dumps(session_body(**overrides)),  # json.dumps keeps lone surrogates
        headers=admin | {"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.get_json()
    assert api_error(response)["error"] == code
    assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_result_api_refuses_edge_dates(client, admin, day):
    body = {"staff_code": "TR1", "module": "IU01", "score": 80, "assessed_on": day}
    response = client.post("/api/v1/results", json=body, headers=admin)
    assert response.status_code == 400 and api_error(response)["error"] == "out_of_range"


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000,
     "{\"items\": " + "[" * 25 + "1" + "]" * 25 + "}"],
)  # fmt: skip
def test_deeply_nested_json_answers_400(client, admin, body):
    for url in ("/api/v1/sessions", "/api/v1/results", "/api/v1/sync"):
        response = client.post(url, data=body, headers=admin | {"Content-Type": "application/json"})
        assert response.status_code == 400, url
        assert api_error(response)["error"] == "too_deep"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_edge_dates_in_forms_are_form_errors(client, db, admin, day):
    module = db.session.scalar(select(Module).where(Module.code == "IU01"))
    trainer = db.session.scalar(select(Staff).where(Staff.staff_code == "TR1"))
    form = {"module": module.id, "title": "Tin học", "trainer": trainer.id, "venue": "DB-A",
            "location": "", "day": day, "start": "08:00", "end": "10:00", "capacity": "10",
            "weeks": "1", "late_after_minutes": "10"}  # fmt: skip
    client.get("/?lang=en")
    response = client.post("/sessions/new", data=form)
    assert response.status_code == 200  # the form again, with the field's error
    page = response.get_data(as_text=True)
    assert "The date must be from 01/01/1900 to 31/12/2100." in page, re.findall(
        r'class="error">[^<]*', page
    )
    huge = form | {"day": "2030-01-07", "capacity": "1" + "0" * 30}
    huge = client.post("/sessions/new", data=huge)
    assert huge.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == 0


def test_a_place_request_is_decided_once(db, tree):
    module = db.session.scalar(select(Module).where(Module.code == "IU01"))
    trainer = factories.make_staff(tree["DB-A"], "Lò Văn Thắng", "it_teacher")
    teacher = factories.make_staff(tree["DB-A-S1"], "Lò Thị Hương")
    starts = datetime.now(UTC) + timedelta(days=2)
    session = services.create_session(module=module, title="Tin học", trainer=trainer,
                                       venue=tree["DB-A"], location="", starts_at=starts,
                                       ends_at=starts + timedelta(hours=2), capacity=5)  # fmt: skip
    place = services.request_place(session, teacher)
    db.session.flush()
    # another trainer (a double click) accepted it meanwhile: this copy still says pending
    db.session.execute(
        update(PlaceRequest)
        .where(PlaceRequest.id == place.id)
        .values(status=RequestStatus.ACCEPTED)
        .execution_options(synchronize_session=False)
    )
    assert place.status == RequestStatus.PENDING
    with pytest.raises(InvalidInput) as refused:
        services.decide_request(place, accept=True)
    assert refused.value.code == "already_decided"
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 0


def test_accepting_twice_through_the_page_answers_a_message(client, db, tree, login_as):
    user = login_as("trainer")
    module = db.session.scalar(select(Module).where(Module.code == "IU01"))
    teacher = factories.make_staff(tree["DB-A-S1"], "Lò Thị Hương")
    starts = datetime.now(UTC) + timedelta(days=2)
    session = services.create_session(module=module, title="Tin học", trainer=user.staff,
                                       venue=tree["DB-A"], location="", starts_at=starts,
                                       ends_at=starts + timedelta(hours=2), capacity=5)  # fmt: skip
    place = services.request_place(session, teacher)
    db.session.commit()
    for _ in range(2):
        response = client.post(f"/requests/{place.id}/decide", data={"decision": "accept"})
        assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1


def test_a_csv_cell_over_the_field_limit_is_a_file_problem(db, tree):
    with force_locale("en"):
        data = ("staff_code,full_name,org_code\nA1," + "x" * 200_000 + ",DB-A\n").encode()
        report = run_import(importer_for("staff"), "staff.csv", data, dry_run=True)
        assert not report.ok and "longer than 131,072 characters" in str(report.problem)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "31/12/9999"])
def test_edge_dates_in_imports_are_row_errors(db, tree, day):
    with force_locale("en"):
        data = "staff_code,full_name,org_code,position,effective_from\n"
        data += f"A1,Lò Thị Hương,DB-A,teacher,{day}\n"
        report = run_import(importer_for("staff"), "staff.csv", data.encode(), dry_run=True)
        assert [(e.row, e.column) for e in report.errors] == [(2, "effective_from")]
        assert "from 01/01/1900 to 31/12/2100" in str(report.errors[0].reason)


@pytest.mark.parametrize("count", ["many", "1e3", str(10**6), "-5"])
def test_the_import_mapping_count_is_bounded(client, login_as, db, tree, count):
    """``count`` (how many unknown headers the page lists) was read with ``int()``: a word
    answered 500 and 10**9 looped for minutes. Now it reads 0 or at most a row's columns."""
    from ..imports.test_rosters import post_mapping, unknown_header_page

    login_as("admin")
    answer = post_mapping(client, unknown_header_page(client), count)
    assert answer.status_code < 500
