"""Finding 14.7: sign-in limits count failures only, per account resolved to the account
(its email and its staff code share one budget) and per address sized for a school."""

import pytest

from .. import factories
from .own_context import own_context  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("own_context")
SCHOOL = {"REMOTE_ADDR": "203.0.113.7"}  # one NAT address for the whole school


def attempt(app, identifier, password, environ=SCHOOL):
    return app.test_client().post(
        "/login", data={"identifier": identifier, "password": password}, environ_base=environ
    )


def test_a_whole_class_signs_in_from_one_address(app, db, tree):
    """With the default limits: successes never use up the school's address budget."""
    teachers = [factories.make_user("teacher", tree["DB-A-S1"]) for _ in range(40)]
    db.session.commit()
    codes = [attempt(app, t.staff.staff_code, factories.PASSWORD).status_code for t in teachers]
    assert codes == [302] * 40


def test_failures_still_count_per_address(app, db, tree):
    app.config["LOGIN_ADDRESS_RATE_LIMIT"] = "5 per minute"
    teacher = factories.make_user("teacher", tree["DB-A-S1"])
    db.session.commit()
    for _ in range(3):  # successes first: they cost nothing
        assert attempt(app, teacher.staff.staff_code, factories.PASSWORD).status_code == 302
    codes = [attempt(app, f"nobody{i}@example.vn", "wrong-password").status_code for i in range(7)]
    assert codes == [200] * 5 + [429] * 2
    other_address = {"REMOTE_ADDR": "198.51.100.9"}
    assert (
        attempt(app, teacher.staff.staff_code, factories.PASSWORD, other_address).status_code == 302
    )


def test_email_and_staff_code_share_the_account_budget(app, db, tree):
    app.config["LOGIN_RATE_LIMIT"] = "4 per minute"
    staff = factories.make_staff(tree["DB-A"], "Lò Văn Giảng", "it_teacher", staff_code="GV7")
    factories.make_user("trainer", tree["DB-A"], staff=staff, email="giang@example.vn")
    db.session.commit()
    codes = []
    for i, identifier in enumerate(
        ["giang@example.vn", "GV7", "GIANG@example.vn", "GV7", "giang@example.vn", "GV7"]
    ):
        address = {"REMOTE_ADDR": f"10.1.0.{i}"}  # a different address every time
        codes.append(attempt(app, identifier, "wrong-password", address).status_code)
    assert codes == [200] * 4 + [429] * 2
    # the right password is refused too while the account is throttled
    assert attempt(app, "GV7", factories.PASSWORD, {"REMOTE_ADDR": "10.1.1.1"}).status_code == 429
    # another account is not affected
    factories.make_user("admin", tree["DB"], email="boss@example.vn")
    db.session.commit()
    assert (
        attempt(app, "boss@example.vn", factories.PASSWORD, {"REMOTE_ADDR": "10.1.1.2"}).status_code
        == 302
    )
