"""A certificate as an Open Badges 3.0 credential (OpenBadgeCredential), signed with our key.

Two forms of the same credential:
- JSON with an embedded Data Integrity proof, cryptosuite ``eddsa-jcs-2022`` (W3C VC Data
  Integrity EdDSA): the document and the proof options canonicalised with JCS (RFC 8785),
  hashed with SHA-256, signed with Ed25519; the key is named as a ``did:key`` so anyone can
  check it without asking us;
- VC-JWT (Open Badges 3.0 §8.2): a compact JWS (EdDSA) whose payload is the credential with
  the registered claims ``iss``, ``jti``, ``nbf``, ``sub`` where they apply.
"""

import hashlib
import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask_babel import get_locale

from .documents import level_modules
from .signing import raw_public, sign_jws
from .statements import keyring, verify_url

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_MULTICODEC = b"\xed\x01"


def base58btc(data):
    """Bitcoin's base58 alphabet, as multibase ``z`` uses it."""
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, rest = divmod(number, 58)
        digits = BASE58[rest] + digits
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + digits


def did_key(public_key):
    """The ``did:key`` of an Ed25519 public key (multicodec 0xed, base58btc multibase)."""
    return "did:key:z" + base58btc(ED25519_MULTICODEC + raw_public(public_key))


def jcs(value):
    """RFC 8785 canonical JSON for what a credential holds (strings, booleans, objects, lists:
    Python's sorted, compact, non-ASCII-escaping output is then exactly JCS)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def vietnam_midnight(day):
    return datetime.combine(day, time(0, 0), VIETNAM).isoformat()


def description(level):
    """The achievement's description, for whoever reads the credential: the level's name in
    the request's language, the other name after it. The credential's ``name`` and criteria
    stay Vietnamese (``inLanguage: vi``), as the certificate they stand for is printed."""
    first = level.name(get_locale())
    other = level.name_vi if first == level.name_en else level.name_en
    return f"{first} ({other})" if other and other != first else first


def credential(cert, *, base_url, issuer_id):
    """The unsigned OpenBadgeCredential of one of our certificates."""
    level = cert.level
    modules = level_modules([level.id]).get(level.id, [])
    narrative = "; ".join(f"{m.code} {m.name_vi}" for m in modules)
    body = {
        "@context": CONTEXT,
        "id": verify_url(cert, base_url),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{level.name_vi} — {cert.number}",
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": cert.issuer, "url": base_url},
        "validFrom": vietnam_midnight(cert.issued_on),
        "awardedDate": vietnam_midnight(cert.issued_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": cert.printed_name,
                }
            ],
            "achievement": {
                "id": f"urn:trainer:level:{level.code}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": level.name_vi,
                "description": description(level),
                "criteria": {"narrative": narrative or level.name_vi},
                "inLanguage": "vi",
            },
        },
    }
    if cert.expires_on:
        body["validUntil"] = vietnam_midnight(cert.expires_on)
    return body


def signed_credential(cert, *, base_url):
    """The credential with its ``eddsa-jcs-2022`` Data Integrity proof."""
    key = keyring().private
    issuer_id = did_key(key.public_key())
    document = credential(cert, base_url=base_url, issuer_id=issuer_id)
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": vietnam_midnight(cert.issued_on),
        "verificationMethod": f"{issuer_id}#{issuer_id.removeprefix('did:key:')}",
        "proofPurpose": "assertionMethod",
        "@context": CONTEXT,
    }
    signed_data = hashlib.sha256(jcs(options)).digest() + hashlib.sha256(jcs(document)).digest()
    proof = {key_: value for key_, value in options.items() if key_ != "@context"}
    proof["proofValue"] = "z" + base58btc(key.sign(signed_data))
    return document | {"proof": [proof]}


def credential_jwt(cert, *, base_url):
    """The credential as a VC-JWT (Open Badges 3.0 §8.2)."""
    key = keyring().private
    issuer_id = did_key(key.public_key())
    document = credential(cert, base_url=base_url, issuer_id=issuer_id)
    issued = datetime.fromisoformat(document["validFrom"])
    claims = document | {"iss": issuer_id, "jti": document["id"], "nbf": int(issued.timestamp())}
    if "validUntil" in document:
        claims["exp"] = int(datetime.fromisoformat(document["validUntil"]).timestamp())
    return sign_jws(claims, key, header={"typ": "JWT"})
