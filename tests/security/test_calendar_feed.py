"""Finding 14.15: a calendar feed address can be renewed (the old one stops working at once)
and dies with the account (disabling retires it for good)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from trainer.audit import AuditEntry
from trainer.curriculum.models import Module
from trainer.training import services as training

from .. import factories
from .own_context import own_context  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("own_context")


@pytest.fixture
def teacher(app, db, tree):
    """A teacher enrolled in a coming session, signed in; their feed address."""
    module = db.session.scalar(select(Module).where(Module.code == "IU01"))
    trainer = factories.make_staff(tree["DB-A-S1"], "Lò Văn Giảng", "it_teacher")
    user = factories.make_user("teacher", tree["DB-A-S1"])
    start = datetime.now(UTC) + timedelta(days=2)
    session = training.create_session(
        module=module,
        title="Buổi tập huấn",
        trainer=trainer,
        venue=tree["DB-A-S1"],
        location="",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=10,
    )
    training.enroll(session, [user.staff])
    db.session.commit()
    browser = app.test_client()
    signed = browser.post(
        "/login", data={"identifier": user.staff.staff_code, "password": factories.PASSWORD}
    )
    assert signed.status_code == 302
    return user, browser


def feed_path(browser):
    """The feed address shown on the home page, without the site's base address."""
    home = browser.get("/home").get_data(as_text=True)
    url = re.search(r'<code class="feed">([^<]+)</code>', home).group(1)
    assert 'action="/calendar/renew"' in home
    return "/calendar/" + url.rsplit("/calendar/", 1)[1]


def test_renewing_retires_the_old_address(app, db, teacher):
    user, browser = teacher
    old = feed_path(browser)
    outsider = app.test_client()  # a calendar app: no sign-in
    assert outsider.get(old).status_code == 200
    assert "Buổi tập huấn" in outsider.get(old).get_data(as_text=True)
    renewed = browser.post("/calendar/renew")
    assert renewed.status_code == 302 and renewed.headers["Location"] == "/home"
    new = feed_path(browser)
    assert new != old
    assert outsider.get(old).status_code == 404
    assert outsider.get(new).status_code == 200
    assert "Buổi tập huấn" in outsider.get(new).get_data(as_text=True)
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id == str(user.id))
    )
    assert "user.calendar_feed_renew" in set(actions)


def test_renewal_needs_the_form_token(app, teacher):
    _user, browser = teacher
    app.config["WTF_CSRF_ENABLED"] = True
    old = feed_path(browser)
    assert browser.post("/calendar/renew").status_code == 400
    assert app.test_client().get(old).status_code == 200


def test_renewal_needs_a_sign_in(app, db, teacher):
    assert app.test_client().post("/calendar/renew").status_code == 302


def test_disabling_the_account_retires_the_address_for_good(app, db, tree, teacher):
    user, browser = teacher
    old = feed_path(browser)
    factories.make_user("admin", tree["DB"], email="root@example.vn")
    db.session.commit()
    office = app.test_client()
    office.post("/login", data={"identifier": "root@example.vn", "password": factories.PASSWORD})
    assert office.post(f"/admin/users/{user.id}/active", data={"active": "0"}).status_code == 302
    calendar = app.test_client()
    assert calendar.get(old).status_code == 404
    assert office.post(f"/admin/users/{user.id}/active", data={"active": "1"}).status_code == 302
    assert calendar.get(old).status_code == 404  # enabled again: the old address stays dead


def test_an_address_from_before_versions_works_until_the_first_renewal(app, db, teacher):
    user, browser = teacher
    legacy = URLSafeSerializer(app.config["SECRET_KEY"], salt="calendar-feed").dumps(user.id)
    calendar = app.test_client()
    assert calendar.get(f"/calendar/{legacy}.ics").status_code == 200
    browser.post("/calendar/renew")
    assert calendar.get(f"/calendar/{legacy}.ics").status_code == 404


@pytest.mark.parametrize("payload", [[1], [1, 0, 0], ["1", 0], [1, -1], [True, 0], {"id": 1}])
def test_malformed_signed_payloads_are_not_found(app, db, teacher, payload):
    forged = URLSafeSerializer(app.config["SECRET_KEY"], salt="calendar-feed").dumps(payload)
    assert app.test_client().get(f"/calendar/{forged}.ics").status_code == 404
