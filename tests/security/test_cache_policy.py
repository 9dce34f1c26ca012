"""Finding 14.11: one cache policy (trainer/http_policy.py). Whatever is behind sign-in is never
stored (pages, exports, JSON, the ZIP of one-time passwords); certificate PDFs are private and
checked again before reuse; only fingerprinted static files are public and long-lived; the
public verification lists keep a short public cache; the service worker is always asked for."""

import re

import pytest

from trainer.accounts.services import issue_token
from trainer.http_policy import CACHE_BY_ENDPOINT

from .. import factories

LONG = "public, max-age=31536000, immutable"


def cache_of(response):
    assert "Expires" not in response.headers or response.headers["Cache-Control"] == LONG
    return response.headers["Cache-Control"]


@pytest.fixture
def manager(client, login_as, db, tree):
    factories.make_staff(tree["DB-A-S1"], "Nguyễn Tiến Thắng", staff_code="A1")
    factories.make_staff(tree["DB-A-S2"], "Đặng Văn Đức", staff_code="A2")
    db.session.commit()
    return login_as("manager")


def test_pages_exports_and_the_password_zip_are_never_stored(client, manager):
    assert cache_of(client.get("/home")) == "no-store"
    assert cache_of(client.get("/staff/export.csv")) == "no-store"
    assert cache_of(client.get("/staff/export.xlsx")) == "no-store"
    started = client.post("/accounts/bulk", data={"org": "DB-A"})  # a job: its page, then
    assert cache_of(started) == "no-store"
    assert cache_of(client.get(started.location)) == "no-store"
    zipped = client.get(started.location + "/file")  # the sheets with one-time passwords
    assert zipped.mimetype == "application/zip"
    assert cache_of(zipped) == "no-store"
    assert cache_of(client.get("/staff/NOBODY")) == "no-store"  # errors too


def test_json_answers_are_never_stored(client, db, tree):
    user = factories.make_user("manager", tree["DB-A"])
    token = issue_token(user)
    db.session.commit()
    answer = client.get("/api/v1/staff", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and cache_of(answer) == "no-store"
    assert cache_of(client.get("/api/v1/staff")) == "no-store"  # 401


def test_the_sign_in_page_and_the_calendar_feed_are_not_stored(client, db):
    assert cache_of(client.get("/login")) == "no-store"  # it holds a form token
    assert cache_of(client.get("/calendar/forged.ics")) == "no-store"


def test_certificate_pdf_is_private_and_revalidated(app, client, db, tree, monkeypatch):
    from trainer.certificates import views

    monkeypatch.setattr(views, "certificate_pdf", lambda cert: b"%PDF-1.7 test")
    monkeypatch.setattr(
        views,
        "certificate_to_download",
        lambda scope, number: type("Cert", (), {"number": number})(),
    )
    factories.make_user("admin", tree["DB"], email="root@example.vn")
    db.session.commit()
    client.post("/login", data={"identifier": "root@example.vn", "password": factories.PASSWORD})
    pdf = client.get("/certificates/DB-2026-000001.pdf")
    assert pdf.status_code == 200 and cache_of(pdf) == "private, no-cache"
    again = client.get(
        "/certificates/DB-2026-000001.pdf", headers={"If-None-Match": pdf.headers["ETag"]}
    )
    assert again.status_code == 304 and cache_of(again) == "private, no-cache"


def test_only_fingerprinted_static_files_are_public_and_long_lived(client, db):
    page = client.get("/login").get_data(as_text=True)
    url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
    assert cache_of(client.get(url)) == LONG
    assert cache_of(client.get("/static/css/app.css")) == "no-cache"
    assert cache_of(client.get("/static/css/app.css?v=000000000000")) == "no-cache"
    assert cache_of(client.get("/static/css/missing.css?v=0")) == "no-store"


def test_public_verification_lists_keep_a_short_public_cache(app, client, db):
    revoked = client.get("/api/v1/verify/revoked")
    assert revoked.status_code == 200 and cache_of(revoked) == "public, max-age=300"
    app.config["VERIFY_RATE_LIMIT"] = "1 per minute"
    client.get("/api/v1/verify/revoked")
    refused = client.get("/api/v1/verify/revoked")
    assert refused.status_code == 429 and cache_of(refused) == "no-store"  # never shared


def test_the_service_worker_is_always_asked_for(client, db):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and cache_of(worker) == "no-cache"


def test_the_exceptions_name_real_routes(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(CACHE_BY_ENDPOINT) <= endpoints
