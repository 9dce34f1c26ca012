"""Bearer tokens: only a hash is stored, bad tokens answer 401 JSON, scopes apply."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from trainer.accounts.models import ApiToken, hash_token
from trainer.accounts.services import issue_token

from .. import factories


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_token_is_stored_only_as_hash(db, tree):
    user = factories.make_user("admin", tree["DB"])
    token = issue_token(user, "test")
    row = db.session.scalar(select(ApiToken))
    assert row.token_hash == hash_token(token)
    assert token not in row.token_hash
    assert len(token) >= 40


def test_missing_wrong_and_malformed_tokens_are_401_json(client, db, tree):
    for headers in ({}, auth("nope"), {"Authorization": "Basic abc"}, {"Authorization": "Bearer"}):
        response = client.get("/api/v1/orgunits/DB", headers=headers)
        assert response.status_code == 401
        assert response.is_json and "error" in response.get_json()


def test_revoked_and_expired_tokens_are_refused(client, db, tree):
    user = factories.make_user("admin", tree["DB"])
    revoked, expired = issue_token(user), issue_token(user)
    rows = {r.token_hash: r for r in db.session.scalars(select(ApiToken))}
    rows[hash_token(revoked)].revoked_at = datetime.now(UTC)
    rows[hash_token(expired)].expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/api/v1/orgunits/DB", headers=auth(revoked)).status_code == 401
    assert client.get("/api/v1/orgunits/DB", headers=auth(expired)).status_code == 401


def test_session_cookie_does_not_authenticate_the_api(client, login_as):
    login_as("admin")
    assert client.get("/api/v1/orgunits/DB").status_code == 401


def test_orgunit_detail_with_children(client, db, tree):
    token = issue_token(factories.make_user("admin", tree["DB"]))
    db.session.commit()
    response = client.get("/api/v1/orgunits/DB-A", headers=auth(token))
    assert response.status_code == 200
    body = response.get_json()
    assert body["code"] == "DB-A" and body["parent_code"] == "DB" and body["kind"] == "district"
    assert [c["code"] for c in body["children"]] == ["DB-A-S1", "DB-A-S2"]
    assert body["children"][0] == {
        "code": "DB-A-S1",
        "name": "Trường Tiểu học Sa Lông",
        "kind": "school",
    }


def test_out_of_scope_unit_is_404_json(client, db, tree):
    token = issue_token(factories.make_user("manager", tree["DB-A"]))
    db.session.commit()
    assert client.get("/api/v1/orgunits/DB-A-S1", headers=auth(token)).status_code == 200
    for code in ("DB-B", "DB", "MISSING"):
        response = client.get(f"/api/v1/orgunits/{code}", headers=auth(token))
        assert response.status_code == 404
        assert response.is_json and "error" in response.get_json()


def test_disabled_user_token_is_refused(client, db, tree):
    user = factories.make_user("admin", tree["DB"])
    token = issue_token(user)
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/orgunits/DB", headers=auth(token)).status_code == 401
