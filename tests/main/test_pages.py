"""Home pages per role, the language switch, error pages, health check and headers."""

import pytest


@pytest.mark.parametrize(
    "role, heading",
    [
        ("admin", "Quản trị toàn tỉnh"),
        ("manager", "Bảng điều hành của phòng"),
        ("trainer", "Bồi dưỡng"),
        ("teacher", "Xin chào"),
    ],
)
def test_each_role_has_its_home_page(client, login_as, role, heading):
    user = login_as(role)
    response = client.get("/home")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert heading in page
    assert user.display_name in page


def test_manager_home_counts_only_their_subtree(client, login_as, db, tree):
    from .. import factories

    factories.make_staff(tree["DB-A-S1"])
    factories.make_staff(tree["DB-B-S1"])
    factories.make_staff(tree["DB-B-S1"])
    db.session.commit()
    login_as("manager")  # adds its own staff record in DB-A
    page = client.get("/home").get_data(as_text=True)
    assert "<dt>Cán bộ đang công tác</dt><dd>2</dd>" in page
    assert "<dt>Đơn vị</dt><dd>3</dd>" in page


def test_language_switch_is_kept_in_the_session(client, db):
    english = client.get("/login?lang=en").get_data(as_text=True)
    assert "Sign in" in english and '<html lang="en">' in english
    assert "Sign in" in client.get("/login").get_data(as_text=True)
    back = client.get("/login?lang=vi").get_data(as_text=True)
    assert "Đăng nhập" in back


def test_language_link_keeps_the_current_page(client, db):
    page = client.get("/login?next=/home").get_data(as_text=True)
    assert 'href="/login?next=%2Fhome&amp;lang=en"' in page


def test_unknown_language_is_ignored(client, db):
    assert "Đăng nhập" in client.get("/login?lang=fr").get_data(as_text=True)


def test_language_choice_survives_sign_in(client, login_as):
    client.get("/login?lang=en")
    login_as("admin")
    assert "Province administration" in client.get("/home").get_data(as_text=True)


def test_404_page_in_the_users_language(client, db):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Trang này không tồn tại." in response.get_data(as_text=True)
    client.get("/login?lang=en")
    assert "This page does not exist." in client.get("/no/such/page").get_data(as_text=True)


def test_api_404_is_json(client, db):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code in (401, 404)
    assert response.is_json


def test_500_page(app, client, db):
    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Hệ thống gặp sự cố" in response.get_data(as_text=True)


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_lost_database(app, tmp_path):
    from trainer import create_app

    from ..conftest import base_config

    broken = create_app(base_config("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_security_headers(client, db):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_inline_script_or_remote_assets(client, login_as):
    login_as("admin")
    for path in ("/login", "/home"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and "onclick=" not in page
        assert "http://" not in page.replace("http://localhost", "")
        assert "https://" not in page


def test_session_cookie_flags(client, login_as):
    login_as("admin")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_static_files_are_fingerprinted_and_cached_long(client, db):
    import re

    page = client.get("/login").get_data(as_text=True)
    url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
    response = client.get(url)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_sqlite_enforces_foreign_keys(db, backend):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from trainer.org.models import Staff

    db.session.add(Staff(staff_code="FK1", full_name="Không Đơn Vị", org_unit_id=999999))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_https_gets_hsts_and_a_secure_session_cookie(client, login_as):
    login_as("admin")
    plain = client.get("/home")
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get("/home", base_url="https://localhost")
    assert "max-age=31536000" in secure.headers["Strict-Transport-Security"]
    client.get("/?lang=en", base_url="https://localhost")  # the session changes: a new cookie
    cookie = client.get_cookie("session", domain="localhost")
    assert cookie.secure and cookie.http_only


def test_forwarded_scheme_and_address_trusted_only_behind_a_configured_proxy(app, db):
    from flask import request

    @app.get("/_seen")
    def seen():
        return {"secure": request.is_secure, "addr": request.remote_addr}

    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    direct = app.test_client().get("/_seen", headers=forwarded).get_json()
    assert direct == {"secure": False, "addr": "127.0.0.1"}  # anyone could send those headers

    from trainer import create_app

    from ..conftest import base_config

    proxied = create_app(base_config(app.config["SQLALCHEMY_DATABASE_URI"], PROXY_COUNT=1))
    proxied.add_url_rule("/_seen", view_func=seen)
    answer = proxied.test_client().get("/_seen", headers=forwarded)
    assert answer.get_json() == {"secure": True, "addr": "203.0.113.7"}
    assert "Strict-Transport-Security" in answer.headers
