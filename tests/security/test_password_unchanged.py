"""Finding 14.9: a one-time password cannot be "changed" to itself (which would clear the
forced change and leave the account on the password written on paper)."""

import pytest

from trainer.accounts.models import User
from trainer.accounts.services import change_password
from trainer.accounts.values import PasswordRefused
from trainer.errors import InvalidInput

from .. import factories

ONE_TIME = "k7mqr2xwze"


@pytest.fixture
def given_one_time(client, db, tree):
    """A teacher signed in with a one-time password from an admin's reset."""
    user = factories.make_user(
        "teacher", tree["DB-A-S1"], password=ONE_TIME, must_change_password=True
    )
    db.session.commit()
    signed = client.post("/login", data={"identifier": user.staff.staff_code, "password": ONE_TIME})
    assert signed.status_code == 302
    return user


def test_the_form_refuses_the_same_password(client, db, given_one_time):
    form = {"current": ONE_TIME, "new": ONE_TIME, "confirm": ONE_TIME}
    page = client.post("/account/password", data=form)
    assert page.status_code == 200
    assert "Mật khẩu mới phải khác mật khẩu hiện tại." in page.get_data(as_text=True)
    english = client.post("/account/password?lang=en", data=form).get_data(as_text=True)
    assert "The new password must be different from the current one." in english
    db.session.expire_all()
    user = db.session.get(User, given_one_time.id)
    assert user.must_change_password and user.check_password(ONE_TIME)
    # still held at the password page
    assert client.get("/home").headers["Location"].endswith("/account/password")


def test_a_different_password_clears_the_forced_change(client, db, given_one_time):
    new = "nui-cao-suoi-trong-42"
    changed = client.post(
        "/account/password", data={"current": ONE_TIME, "new": new, "confirm": new}
    )
    assert changed.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, given_one_time.id).must_change_password
    assert client.get("/home").status_code == 200


def test_the_service_refuses_it_too(app, db, tree):
    user = factories.make_user("teacher", tree["DB-A-S1"])
    with pytest.raises(InvalidInput) as refused, app.test_request_context():
        change_password(user, factories.PASSWORD, factories.PASSWORD)
    assert refused.value.code == PasswordRefused.UNCHANGED
    with pytest.raises(InvalidInput) as wrong, app.test_request_context():
        change_password(user, "not-the-password", "nui-cao-suoi-trong-42")
    assert wrong.value.code == PasswordRefused.WRONG_CURRENT
