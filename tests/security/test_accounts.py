"""Throttled sign-in per account and per address, password rules, the audit log page."""

from sqlalchemy import select

from trainer.accounts.services import check_password_rules
from trainer.audit import AuditEntry
from trainer.errors import InvalidInput

from .. import factories


def test_sign_in_failures_are_limited_per_account(app, client, db, tree):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    factories.make_user("admin", tree["DB"], email="boss@example.vn")
    db.session.commit()
    codes = [
        client.post(
            "/login",
            data={"identifier": "boss@example.vn", "password": "wrong-password"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
        ).status_code
        for i in range(5)
    ]  # a different address each time: the account limit applies
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    other = client.post(
        "/login",
        data={"identifier": "someone@example.vn", "password": "wrong-password"},
        environ_base={"REMOTE_ADDR": "10.0.1.1"},
    )
    assert other.status_code == 200  # another account is not affected


def test_sign_in_is_limited_per_address(app, client, db, tree):
    app.config["LOGIN_ADDRESS_RATE_LIMIT"] = "3 per minute"
    codes = [
        client.post(
            "/login", data={"identifier": f"user{i}@example.vn", "password": "wrong-password"}
        ).status_code
        for i in range(5)
    ]
    assert codes[3:] == [429, 429]
    assert "Quá nhiều lần thử" in client.post(
        "/login", data={"identifier": "x@y.vn", "password": "z"}
    ).get_data(as_text=True)


def test_failed_tokens_are_throttled(app, client, db):
    app.config["API_FAILED_AUTH_LIMIT"] = "3 per minute"
    codes = [
        client.get("/api/v1/staff", headers={"Authorization": "Bearer guess"}).status_code
        for _ in range(5)
    ]
    assert codes == [401, 401, 401, 429, 429]


def test_common_and_short_passwords_are_refused():
    for weak in ("short", "1234567890", "Password123", "aaaaaaaaaaaa", "dienbien2026"):
        try:
            check_password_rules(weak)
        except InvalidInput:
            continue
        raise AssertionError(f"{weak} was accepted")
    check_password_rules("nui-cao-suoi-trong-42")


def test_audit_log_page_filters(client, login_as, db, tree):
    admin = login_as("admin")
    db.session.add(
        AuditEntry(
            action="certificate.revoke",
            object_type="Certificate",
            object_id="7",
            details={"reason": "Cấp nhầm"},
            user_id=admin.id,
        )
    )
    db.session.add(
        AuditEntry(
            action="import.staff", object_type="import", object_id="a.csv", details={"created": 3}
        )
    )
    db.session.commit()
    page = client.get("/admin/audit?action=certificate").get_data(as_text=True)
    assert 'data-action="certificate.revoke"' in page and "Cấp nhầm" in page
    assert 'data-action="import.staff"' not in page
    mine = client.get(f"/admin/audit?who={admin.email}").get_data(as_text=True)
    assert 'data-action="certificate.revoke"' in mine and 'data-action="import.staff"' not in mine
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "import.staff"))


def test_admin_resets_disables_and_revokes(client, login_as, db, tree):
    import re

    from trainer.accounts.models import ApiToken, User
    from trainer.accounts.services import issue_token

    target = factories.make_user("teacher", tree["DB-A-S1"])
    token = issue_token(target, "phone")
    db.session.commit()
    code = target.staff.staff_code
    login_as("admin")
    page = client.get(f"/admin/users?q={code}").get_data(as_text=True)
    assert target.staff.full_name in page and "phone" in page
    shown = client.post(f"/admin/users/{target.id}/reset").get_data(as_text=True)
    password = re.search(r'class="one-time-password">([a-z0-9]{10})<', shown).group(1)
    db.session.expire_all()
    user = db.session.get(User, target.id)
    assert user.must_change_password and user.check_password(password)
    token_row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == target.id))
    client.post(f"/admin/tokens/{token_row.id}/revoke")
    assert (
        client.get("/api/v1/staff", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )
    client.post(f"/admin/users/{target.id}/active", data={"active": "0"})
    client.post("/logout")
    refused = client.post("/login", data={"identifier": code, "password": password})
    assert refused.status_code == 200  # disabled: the form again
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"user.password_reset", "token.revoke", "user.disable"} <= actions
