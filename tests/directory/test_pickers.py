"""The pickers' suggestions (/pick/units, /pick/staff): scope, accents, bounds, and the code
fields that use them."""

from datetime import timedelta

import pytest

from trainer.timeutil import local_today

from .. import factories


@pytest.fixture
def places(db, tree):
    """Schools with accented names under both districts, one of them closed."""
    units = {
        "huoimi": factories.make_unit(
            "DB-A-HUOIMI-THCS", "Trường THCS Huổi Mí", "school", tree["DB-A"]
        ),
        "dongb": factories.make_unit(
            "DB-B-HUOIMI-TH", "Trường Tiểu học Huổi Mí", "school", tree["DB-B"]
        ),
        "closed": factories.make_unit(
            "DB-A-HUOIMO-MN", "Trường Mầm non Huổi Mó", "school", tree["DB-A"]
        ),
    }
    units["closed"].valid_to = local_today() - timedelta(days=1)
    db.session.commit()
    return units


@pytest.fixture
def people(db, tree):
    found = {
        "duc": factories.make_staff(tree["DB-A-S1"], "Đặng Văn Đức", staff_code="A100"),
        "duc_b": factories.make_staff(tree["DB-B-S1"], "Đặng Văn Đức", staff_code="B100"),
        "thang": factories.make_staff(tree["DB-A-S2"], "Nguyễn Tiến Thắng", staff_code="A200"),
        "gone": factories.make_staff(
            tree["DB-A-S1"], "Đặng Thị Nghỉ", staff_code="A300", status="inactive"
        ),
    }
    db.session.commit()
    return found


def values(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.is_json
    return [item["value"] for item in response.get_json()["items"]]


def test_units_without_accents_or_case_with_the_path(client, login_as, places):
    login_as("admin")
    answer = client.get("/pick/units?q=huoi mi")
    assert values(answer) == ["DB-A-HUOIMI-THCS", "DB-B-HUOIMI-TH"]
    first = answer.get_json()["items"][0]
    assert first["label"] == "Trường THCS Huổi Mí"
    assert first["path"] == "Tỉnh Điện Biên › Huyện Mường Chà › Trường THCS Huổi Mí"
    assert first["detail"] == "DB-A-HUOIMI-THCS · Tỉnh Điện Biên › Huyện Mường Chà"
    assert answer.headers["Cache-Control"] == "no-store"  # names of people: never kept
    # words in any order, each the start of a word of the name, in capitals or with accents
    assert values(client.get("/pick/units?q=MI HUOI")) == values(answer)
    assert values(client.get("/pick/units?q=Huổi Mí thcs")) == ["DB-A-HUOIMI-THCS"]
    assert values(client.get("/pick/units?q=dien bien dong")) == ["DB-B"]  # Đ folds to d
    assert values(client.get("/pick/units?q=ruong")) == []  # a name word starts with it


def test_units_by_code_part_exact_code_first(client, login_as, places):
    login_as("admin")
    assert values(client.get("/pick/units?q=huoimi-th")) == [
        "DB-A-HUOIMI-THCS",
        "DB-B-HUOIMI-TH",
    ]
    assert values(client.get("/pick/units?q=db-b-huoimi-th"))[0] == "DB-B-HUOIMI-TH"
    assert values(client.get("/pick/units?q=DB-A"))[0] == "DB-A"


def test_units_in_force_today_only(client, login_as, db, places):
    login_as("admin")
    assert values(client.get("/pick/units?q=huoi mo")) == []  # closed yesterday
    places["closed"].valid_to = None
    places["closed"].valid_from = local_today() + timedelta(days=3)  # not yet open
    db.session.commit()
    assert values(client.get("/pick/units?q=huoi mo")) == []
    places["closed"].valid_from = local_today()
    db.session.commit()
    assert values(client.get("/pick/units?q=huoi mo")) == ["DB-A-HUOIMO-MN"]


def test_a_trainer_gets_only_units_of_their_part_of_the_tree(client, login_as, places):
    login_as("trainer")  # DB-A
    assert values(client.get("/pick/units?q=huoi mi")) == ["DB-A-HUOIMI-THCS"]
    assert values(client.get("/pick/units?q=db-b")) == []
    assert values(client.get("/pick/units?q=tinh dien bien")) == []  # the province is above


def test_a_manager_gets_only_staff_of_their_part_of_the_tree(client, login_as, people):
    login_as("manager")  # DB-A
    assert values(client.get("/pick/staff?q=dang van duc")) == ["A100"]
    assert values(client.get("/pick/staff?q=B100")) == []


def test_staff_without_accents_or_by_code_with_the_unit(client, login_as, people):
    login_as("admin")
    answer = client.get("/pick/staff?q=DANG van DUC")
    assert sorted(values(answer)) == ["A100", "B100"]
    item = next(i for i in answer.get_json()["items"] if i["value"] == "A100")
    assert item["label"] == "Đặng Văn Đức"
    assert item["unit"] == "Trường Tiểu học Sa Lông"
    assert item["detail"] == "A100 · Trường Tiểu học Sa Lông"
    assert values(client.get("/pick/staff?q=a2")) == ["A200"]
    assert values(client.get("/pick/staff?q=thang")) == ["A200"]


def test_staff_active_first_inactive_marked(client, login_as, people):
    login_as("admin")
    answer = client.get("/pick/staff?q=dang&lang=en")
    assert values(answer)[-1] == "A300"  # the inactive person last, and said so
    assert answer.get_json()["items"][-1]["detail"] == "A300 · Trường Tiểu học Sa Lông · Inactive"


def test_at_most_twenty_suggestions(client, login_as, db, tree):
    for number in range(25):
        factories.make_staff(tree["DB-A-S1"], f"Lò Văn Pá {number}", staff_code=f"P{number:03d}")
        factories.make_unit(f"DB-A-P{number:02d}", f"Trường Pá {number}", "school", tree["DB-A"])
    db.session.commit()
    login_as("admin")
    staff = client.get("/pick/staff?q=lo van pa").get_json()
    units = client.get("/pick/units?q=truong pa").get_json()
    assert len(staff["items"]) == 20 and staff["more"] is True
    assert len(units["items"]) == 20 and units["more"] is True
    assert client.get("/pick/units?q=truong pa 7").get_json()["more"] is False


@pytest.mark.parametrize("kind", ["units", "staff"])
@pytest.mark.parametrize(
    "query",
    ["", "q=", "q=%20%20", "q=" + "a" * 101, "q=dang%E2%80%AEduc", "q=%00"],
)
def test_bad_input_is_a_json_error(client, login_as, tree, kind, query):
    login_as("admin")
    response = client.get(f"/pick/{kind}?{query}")
    assert response.status_code == 400
    assert response.is_json and response.get_json()["error"] == "bad_query"


@pytest.mark.parametrize("kind", ["units", "staff"])
def test_punctuation_only_suggests_nothing(client, login_as, people, kind):
    login_as("admin")
    assert values(client.get(f"/pick/{kind}?q=-%25_.")) == []


@pytest.mark.parametrize("kind", ["units", "staff"])
def test_signed_out_and_teachers_get_json_errors(client, login_as, tree, kind):
    response = client.get(f"/pick/{kind}?q=duc")
    assert response.status_code == 401 and response.is_json
    login_as("teacher")
    response = client.get(f"/pick/{kind}?q=duc")
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_code_fields_are_pickers_and_still_take_a_code(client, login_as, places):
    login_as("trainer")
    page = client.get("/sessions/new").get_data(as_text=True)
    assert 'id="venue"' in page and 'data-picker="/pick/units"' in page
    assert "js/picker.js" in page
    listing = client.get("/sessions").get_data(as_text=True)
    assert 'data-picker="/pick/staff"' in listing and 'data-picker="/pick/units"' in listing
    # the value sent is still the code: a filter by a typed code works as before
    assert client.get("/sessions?org=DB-A-HUOIMI-THCS").status_code == 200


def test_only_pages_with_a_picker_load_its_script(client, login_as, tree):
    login_as("admin")
    assert "js/picker.js" not in client.get("/home").get_data(as_text=True)
    assert "js/picker.js" in client.get("/staff").get_data(as_text=True)
    assert "js/picker.js" in client.get("/certificates/bulk").get_data(as_text=True)


@pytest.mark.parametrize(
    "role, path, kinds",
    [
        ("admin", "/admin/audit", ["staff", "units"]),
        ("admin", "/accounts/bulk", ["units"]),
        ("trainer", "/sessions/week", ["units"]),
        ("trainer", "/certificates/bulk", ["units"]),
        ("manager", "/coverage", ["units"]),
        ("manager", "/staff", ["units"]),
    ],
)
def test_every_code_field_is_a_picker(client, login_as, tree, role, path, kinds):
    login_as(role)
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for kind in kinds:
        assert f'data-picker="/pick/{kind}"' in html, (path, kind)
    assert "js/picker.js" in html
