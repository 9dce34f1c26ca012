"""Finding 14.3: a copied session cookie dies with sign-out, a password change (in another
browser), an admin's reset and disabling; replayed cookies prove it."""

import pytest

from trainer.accounts.models import User
from trainer.extensions import db as _db

from .. import factories
from .own_context import own_context  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("own_context")
PRIVATE = "/account/password"


def signed_in(app, identifier, password=factories.PASSWORD):
    browser = app.test_client()
    response = browser.post("/login", data={"identifier": identifier, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser


def copy_of(app, browser):
    """Another browser holding a copy of ``browser``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    return thief


def is_signed_in(browser):
    return browser.get(PRIVATE).status_code == 200


@pytest.fixture
def teacher(app, db, tree):
    app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    user = factories.make_user("teacher", tree["DB-A-S1"])
    db.session.commit()
    return user


def test_sign_out_ends_the_copied_cookie(app, teacher):
    browser = signed_in(app, teacher.staff.staff_code)
    thief = copy_of(app, browser)
    assert is_signed_in(thief)
    assert browser.post("/logout").status_code == 302
    assert not is_signed_in(browser)
    assert not is_signed_in(thief)
    assert thief.get(PRIVATE).headers["Location"].startswith("/login")


def test_password_change_ends_the_other_sessions(app, teacher):
    home = signed_in(app, teacher.staff.staff_code)
    phone = signed_in(app, teacher.staff.staff_code)
    thief = copy_of(app, phone)
    new = "nui-cao-suoi-trong-42"
    changed = home.post(PRIVATE, data={"current": factories.PASSWORD, "new": new, "confirm": new})
    assert changed.status_code == 302
    assert is_signed_in(home)  # the browser that changed it stays signed in
    assert not is_signed_in(phone) and not is_signed_in(thief)
    assert is_signed_in(signed_in(app, teacher.staff.staff_code, new))


def test_reset_and_disabling_end_the_sessions(app, db, tree, teacher):
    admin = factories.make_user("admin", tree["DB"], email="root@example.vn")
    db.session.commit()
    office = signed_in(app, "root@example.vn")
    victim = signed_in(app, teacher.staff.staff_code)
    assert office.post(f"/admin/users/{teacher.id}/reset").status_code == 200
    assert not is_signed_in(victim)

    other = factories.make_user("teacher", tree["DB-A-S1"])
    db.session.commit()
    again = signed_in(app, other.staff.staff_code)
    assert office.post(f"/admin/users/{other.id}/active", data={"active": "0"}).status_code == 302
    assert not is_signed_in(again)
    # enabled again: the old cookie still does not come back to life
    office.post(f"/admin/users/{other.id}/active", data={"active": "1"})
    assert not is_signed_in(again)
    assert admin.id and is_signed_in(office)


def test_an_old_style_or_forged_id_is_refused(app, teacher):
    browser = signed_in(app, teacher.staff.staff_code)
    with browser.session_transaction() as session:
        assert session["_user_id"] == f"{teacher.id}.0"
        session["_user_id"] = str(teacher.id)  # a cookie without the version
    assert not is_signed_in(browser)
    with browser.session_transaction() as session:
        session["_user_id"] = f"{teacher.id}.x"
    assert not is_signed_in(browser)
    with _db.session.no_autoflush:
        assert _db.session.get(User, teacher.id).session_version == 0
