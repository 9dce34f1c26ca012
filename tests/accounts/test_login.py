"""Signing in by email or staff code, signing out, CSRF, and password changes."""

from sqlalchemy import select

from trainer.audit import AuditEntry
from trainer.extensions import db as _db

from .. import factories
from ..factories import PASSWORD


def sign_in(client, identifier, password=PASSWORD):
    return client.post("/login", data={"identifier": identifier, "password": password})


def test_login_page_is_vietnamese_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page
    assert '<html lang="vi">' in page


def test_sign_in_by_email_lands_on_role_home(client, tree, db):
    factories.make_user("manager", tree["DB-A"], email="head@example.vn")
    db.session.commit()
    response = sign_in(client, "Head@Example.vn")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    page = client.get("/home").get_data(as_text=True)
    assert "Bảng điều hành của phòng" in page
    assert "Huyện Mường Chà" in page


def test_sign_in_by_staff_code(client, tree, db):
    user = factories.make_user("teacher", tree["DB-A-S1"])
    db.session.commit()
    assert user.email is None
    response = sign_in(client, user.staff.staff_code)
    assert response.status_code == 302
    page = client.get("/home").get_data(as_text=True)
    assert "Xin chào" in page and user.staff.full_name in page


def test_wrong_password_and_unknown_user_get_the_same_message(client, tree, db):
    factories.make_user("admin", tree["DB"], email="admin@example.vn")
    db.session.commit()
    wrong_password = sign_in(client, "admin@example.vn", "not-the-password")
    unknown_user = sign_in(client, "nobody@example.vn")
    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302  # still signed out


def test_inactive_staff_cannot_sign_in(client, tree, db):
    user = factories.make_user("teacher", tree["DB-A-S1"])
    user.staff.status = "inactive"
    db.session.commit()
    assert sign_in(client, user.staff.staff_code).status_code == 200
    assert client.get("/home").status_code == 302


def test_disabled_user_cannot_sign_in(client, tree, db):
    factories.make_user("admin", tree["DB"], email="off@example.vn", active=False)
    db.session.commit()
    assert sign_in(client, "off@example.vn").status_code == 200


def test_logout(client, login_as):
    login_as("admin")
    assert client.get("/home").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/home").status_code == 302


def test_home_needs_sign_in(client, db):
    response = client.get("/home")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_csrf_refuses_a_form_without_token(app, client, tree, db):
    factories.make_user("admin", tree["DB"], email="admin@example.vn")
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    response = sign_in(client, "admin@example.vn")
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302


def test_csrf_token_from_the_form_is_accepted(app, client, tree, db):
    import re

    factories.make_user("admin", tree["DB"], email="admin@example.vn")
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        data={"identifier": "admin@example.vn", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_next_only_follows_local_paths(client, tree, db):
    factories.make_user("admin", tree["DB"], email="admin@example.vn")
    db.session.commit()
    response = client.post(
        "/login?next=https://evil.example.com/",
        data={"identifier": "admin@example.vn", "password": PASSWORD},
    )
    assert response.headers["Location"].endswith("/home")


def test_change_password(client, login_as, db):
    user = login_as("manager")
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": "a-new-long-password", "confirm": "a-new-long-password"},
    )
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(type(user), user.id).check_password("a-new-long-password")
    actions = _db.session.scalars(select(AuditEntry.action)).all()
    assert "user.password_change" in actions


def test_change_password_errors_redisplay_the_form(client, login_as):
    login_as("manager")
    wrong = client.post(
        "/account/password",
        data={
            "current": "wrong-one-xx",
            "new": "a-new-long-password",
            "confirm": "a-new-long-password",
        },
    )
    assert "Mật khẩu hiện tại không đúng." in wrong.get_data(as_text=True)
    short = client.post(
        "/account/password", data={"current": PASSWORD, "new": "short", "confirm": "short"}
    )
    assert short.status_code == 200
    assert "10" in short.get_data(as_text=True)


def test_one_time_password_forces_a_change(client, tree, db):
    user = factories.make_user("teacher", tree["DB-A-S1"], must_change_password=True)
    db.session.commit()
    sign_in(client, user.staff.staff_code)
    response = client.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/password")
