"""The Open Badges 3.0 credential: the published schema's shape, a proof that checks, scope.

``ob_v3p0_achievementcredential_schema.json`` is 1EdTech's published JSON schema of the
AchievementCredential (https://purl.imsglobal.org/spec/ob/v3p0/schema/json/
ob_v3p0_achievementcredential_schema.json), copied unchanged from
github.com/1EdTech/openbadges-specification, docs/schema/achievementcredential.json at commit
c73e9663afcdbe009a224f7be061ac895168a5b8 (2024-07-30).
"""

import hashlib
import json
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from jsonschema import Draft201909Validator

from trainer.certificates import services
from trainer.certificates.openbadge import BASE58, jcs
from trainer.certificates.signing import read_jws
from trainer.certificates.statements import keyring

from .. import factories
from .conftest import BASIC

SCHEMA = json.loads(
    (Path(__file__).parent / "ob_v3p0_achievementcredential_schema.json").read_text(
        encoding="utf-8"
    )
)


@pytest.fixture
def issued(db, person, levels, pass_modules):
    pass_modules(person, *BASIC)
    cert = services.issue_certificate(person, levels["basic"])
    db.session.commit()
    return cert


def sign_in_as(client, db, role, unit, staff=None):
    user = factories.make_user(role, unit, staff=staff)
    db.session.commit()
    response = client.post(
        "/login",
        data={"identifier": user.email or user.staff.staff_code, "password": factories.PASSWORD},
    )
    assert response.status_code == 302


def unbase58(text):
    number = 0
    for char in text:
        number = number * 58 + BASE58.index(char)
    return number.to_bytes((number.bit_length() + 7) // 8, "big")


def proof_holds(credential):
    """Check an eddsa-jcs-2022 proof as an outside verifier would, from the did:key alone."""
    document = {k: v for k, v in credential.items() if k != "proof"}
    (proof,) = credential["proof"]
    method = proof["verificationMethod"]
    assert method.startswith("did:key:z6Mk") and proof["proofValue"].startswith("z")
    public = unbase58(method.split("#")[1][1:])
    assert public[:2] == b"\xed\x01"
    options = {k: v for k, v in proof.items() if k != "proofValue"} | {
        "@context": document["@context"]
    }
    data = hashlib.sha256(jcs(options)).digest() + hashlib.sha256(jcs(document)).digest()
    try:
        Ed25519PublicKey.from_public_bytes(public[2:]).verify(
            unbase58(proof["proofValue"][1:]), data
        )
    except InvalidSignature:
        return False
    return True


def test_owner_downloads_a_valid_signed_credential(app, client, db, tree, person, issued):
    sign_in_as(client, db, "teacher", tree["DB-A-S1"], staff=person)
    response = client.get(f"/certificates/{issued.number}.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert f'filename="{issued.number}.json"' in response.headers["Content-Disposition"]
    credential = response.get_json()
    errors = [e.message for e in Draft201909Validator(SCHEMA).iter_errors(credential)]
    assert errors == []
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"https://trainer.example.vn/verify/{issued.verification_code}"
    assert credential["validFrom"] == f"{issued.issued_on.isoformat()}T00:00:00+07:00"
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Nguyễn Tiến Thắng"
    assert "IU06" in subject["achievement"]["criteria"]["narrative"]
    assert credential["issuer"]["name"] == issued.issuer
    assert proof_holds(credential)
    forged = credential | {
        "credentialSubject": subject
        | {"identifier": [subject["identifier"][0] | {"identityHash": "Nguyễn Văn Giả"}]}
    }
    assert not proof_holds(forged)


def test_jwt_form_carries_the_same_credential(app, client, db, tree, person, issued):
    sign_in_as(client, db, "teacher", tree["DB-A-S1"], staff=person)
    token = client.get(f"/certificates/{issued.number}.jwt").get_data(as_text=True)
    with app.app_context():
        header, claims = read_jws(token, keyring().public)
    assert header["typ"] == "JWT"
    assert claims["iss"] == claims["issuer"]["id"] and claims["jti"] == claims["id"]
    assert Draft201909Validator(SCHEMA).is_valid(claims)


def test_credential_outside_scope_is_not_found(client, db, tree, issued):
    sign_in_as(client, db, "trainer", tree["DB-B"])
    assert client.get(f"/certificates/{issued.number}.json").status_code == 404
    assert client.get(f"/certificates/{issued.number}.jwt").status_code == 404


def test_credential_in_scope_for_the_district_head(client, db, tree, issued):
    sign_in_as(client, db, "manager", tree["DB-A"])
    assert client.get(f"/certificates/{issued.number}.json").status_code == 200
    assert client.get("/certificates/DB-2026-999999.json").status_code == 404
