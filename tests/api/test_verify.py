"""Public keys, the revocation list and statement checks; the Open Badges credential by API."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from trainer.certificates.signing import b64url, read_jws, unb64url
from trainer.certificates.statements import qr_payload

from .. import factories

BASIC = [f"IU0{i}" for i in range(1, 7)]


@pytest.fixture
def issued(api, db, tree):
    factories.make_staff(tree["DB-A-S1"], "Lò Thị Hương", staff_code="A1")
    db.session.commit()
    call = api("trainer")
    for code in BASIC:
        assert (
            call(
                "POST",
                "/api/v1/results",
                {"staff_code": "A1", "module": code, "score": 80, "assessed_on": "2026-03-01"},
            ).status_code
            == 201
        )
    body = call("POST", "/api/v1/certificates", {"staff_code": "A1", "level": "basic"}).get_json()
    return call, body["number"]


def statement_of(app, number):
    from sqlalchemy import select

    from trainer.certificates.models import Certificate
    from trainer.extensions import db

    with app.app_context():
        cert = db.session.scalar(select(Certificate).where(Certificate.number == number))
        return qr_payload(cert)


def test_published_key_verifies_the_qr_statement(app, client, issued):
    _call, number = issued
    response = client.get("/api/v1/verify/keys")  # public: no token
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    (jwk,) = response.get_json()["keys"]
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["alg"] == "EdDSA"
    key = Ed25519PublicKey.from_public_bytes(unb64url(jwk["x"]))
    url = statement_of(app, number)
    _header, claims = read_jws(url.split("#")[1], {jwk["kid"]: key})
    assert claims["n"] == number and claims["h"] == "Lò Thị Hương"


def test_statement_check_tells_valid_forged_and_revoked_apart(app, client, issued):
    call, number = issued
    url = statement_of(app, number)

    def check(statement):
        response = client.post("/api/v1/verify/statement", json={"statement": statement})
        assert response.status_code == 200
        return response.get_json()

    valid = check(url)
    assert valid["result"] == "valid" and valid["statement"]["number"] == number
    header, payload, signature = url.split("#")[1].split(".")
    forged_payload = b64url(
        unb64url(payload).replace("Lò Thị Hương".encode(), "Lò Thị Hường".encode())
    )
    assert check(f"{header}.{forged_payload}.{signature}")["result"] == "forged"
    other_signature = b64url(bytes(64))
    assert check(f"{header}.{payload}.{other_signature}")["result"] == "forged"
    assert check("https://x/verify/abc#nonsense")["result"] == "malformed"
    assert client.get("/api/v1/verify/revoked").get_json()["revoked"] == []
    assert (
        call("POST", f"/api/v1/certificates/{number}/revoke", {"reason": "cấp nhầm"}).status_code
        == 200
    )
    revoked = check(url)
    assert revoked["result"] == "revoked" and revoked["revoked_on"]
    listed = client.get("/api/v1/verify/revoked").get_json()
    assert listed["revoked"] == [{"number": number, "revoked_on": revoked["revoked_on"]}]
    assert listed["generated_at"]


@pytest.mark.parametrize("body", [None, {}, {"statement": 5}, {"statement": "x" * 5000}])
def test_statement_check_refuses_bad_input(client, db, body):
    response = client.post("/api/v1/verify/statement", json=body)
    assert response.status_code == 400 and "error" in response.get_json()


def test_credential_by_api_in_scope_only(api, issued):
    call, number = issued
    response = call("GET", f"/api/v1/certificates/{number}/credential")
    assert response.status_code == 200
    credential = response.get_json()
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["proof"][0]["cryptosuite"] == "eddsa-jcs-2022"
    jwt = call("GET", f"/api/v1/certificates/{number}/credential.jwt")
    assert jwt.status_code == 200 and jwt.mimetype == "application/vc+jwt"
    assert jwt.get_data(as_text=True).count(".") == 2
    outsider = api("trainer", unit="DB-B")
    assert outsider("GET", f"/api/v1/certificates/{number}/credential").status_code == 404
    assert outsider("GET", f"/api/v1/certificates/{number}/credential.jwt").status_code == 404


def test_keys_answer_base64_that_decodes_to_32_bytes(client, db):
    jwk = client.get("/api/v1/verify/keys").get_json()["keys"][0]
    raw = base64.urlsafe_b64decode(jwk["x"] + "=")
    assert len(raw) == 32 and len(jwk["kid"]) == 8
