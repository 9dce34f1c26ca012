"""The API shows national identifiers, ethnicity and school attributes (SPEC section 9)."""

import pytest

from ..directory.test_attributes import make_people


@pytest.fixture
def people(db, tree):
    return make_people(db, tree)


def test_api_shows_the_attributes(api, people):
    get = api("admin", "DB")
    body = get("GET", "/api/v1/staff/A1").get_json()
    assert body["moet_id"] == "0801234567" and body["ethnicity"] == "Thái"
    assert get("GET", "/api/v1/staff/A4").get_json()["ethnicity"] is None
    unit = get("GET", "/api/v1/orgunits/DB-A-S1").get_json()
    assert (unit["moet_id"], unit["school_level"], unit["disadvantaged"]) == (
        "62000101",
        "tieu_hoc",
        True,
    )
    district = get("GET", "/api/v1/orgunits/DB-B").get_json()
    assert (district["school_level"], district["disadvantaged"]) == (None, None)
    schemas = get("GET", "/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert {"moet_id", "ethnicity"} <= set(schemas["Staff"]["properties"])
    assert {"moet_id", "school_level", "disadvantaged"} <= set(schemas["OrgUnit"]["properties"])
