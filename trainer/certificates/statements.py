"""The signed statement a certificate's QR code carries, checkable without reaching us.

The QR code holds ``PUBLIC_BASE_URL/verify/<code>#<statement>``: scanned online it opens the
verification page (the part after ``#`` never reaches the server); offline the page checks the
statement with the public key it cached. The statement is a compact JWS (EdDSA) whose claims
are kept short because every byte makes the QR code denser:
``n`` number, ``h`` holder's name as printed, ``l`` level code, ``d`` issue date, ``i`` issuer.
"""

from dataclasses import dataclass
from functools import cached_property

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..timeutil import local_today
from .models import Certificate
from .signing import (
    BadKey,
    BadStatement,
    Signer,
    key_id,
    load_private_key,
    load_public_key,
    public_jwk,
    read_jws,
)

EXTENSION = "trainer.signing"


@dataclass(frozen=True)
class Keyring:
    """The signing key and every public key a statement may be checked with (by kid)."""

    private: object
    public: dict

    @cached_property
    def kid(self):
        return key_id(self.private.public_key())

    @cached_property
    def signer(self):
        """Signs statements with the private key (its header encoded once per process)."""
        return Signer(self.private)


def make_keyring(config):
    """The keyring of ``config``'s SIGNING_KEY and SIGNING_KEYS_RETIRED; RuntimeError if bad."""
    try:
        private = load_private_key(config["SIGNING_KEY"])
        retired = config.get("SIGNING_KEYS_RETIRED") or ()
        if isinstance(retired, str):
            retired = [part for part in retired.split(",") if part.strip()]
        keys = [private.public_key(), *(load_public_key(text) for text in retired)]
    except BadKey as exc:
        raise RuntimeError(
            f"SIGNING_KEY or SIGNING_KEYS_RETIRED is not usable: {exc}. "
            "Make a key with `trainer keys generate`."
        ) from None
    return Keyring(private, {key_id(key): key for key in keys})


def register_keyring(app):
    """Read the keys once at start-up: a bad key stops the app with a clear message."""
    app.extensions[EXTENSION] = make_keyring(app.config)


def keyring():
    return current_app.extensions[EXTENSION]


def published_keys():
    """The JWKS (RFC 7517) of the province's public keys, the current one first."""
    return {"keys": [public_jwk(key) for key in keyring().public.values()]}


def statement_claims(cert):
    """What the statement says: number, name, level, issue date, issuer."""
    return {
        "n": cert.number,
        "h": cert.printed_name,
        "l": cert.level.code,
        "d": cert.issued_on.isoformat(),
        "i": cert.issuer,
    }


def sign_statement(cert):
    """The compact JWS of ``cert``'s statement (Ed25519 is deterministic: same cert, same text)."""
    return keyring().signer(statement_claims(cert))


def verify_url(cert, base_url=None):
    """The public verification address of ``cert`` (under PUBLIC_BASE_URL by default)."""
    base_url = current_app.config["PUBLIC_BASE_URL"] if base_url is None else base_url
    return f"{base_url}/verify/{cert.verification_code}"


def qr_payload(certificate, base_url=None):
    """What the certificate's QR code encodes: the verification address, ``#``, the statement."""
    return f"{verify_url(certificate, base_url)}#{sign_statement(certificate)}"


def statement_from(text):
    """The statement in ``text``: a scanned verification address or the bare JWS."""
    text = (text or "").strip()
    return text.rsplit("#", 1)[1] if "#" in text else text


@dataclass(frozen=True)
class StatementCheck:
    """The verdict on a statement: ``result`` and, when the signature holds, its claims."""

    result: str  # valid, revoked, superseded, expired, unknown, forged, malformed
    claims: dict | None = None
    certificate: Certificate | None = None

    def as_json(self):
        answer = {"result": self.result}
        if self.claims is not None:
            answer["statement"] = {
                "number": self.claims.get("n"),
                "name": self.claims.get("h"),
                "level": self.claims.get("l"),
                "issued_on": self.claims.get("d"),
                "issuer": self.claims.get("i"),
            }
        cert = self.certificate
        if cert is not None and cert.revoked_on is not None:
            answer["revoked_on"] = cert.revoked_on.isoformat()
        return answer


def check_statement(text):
    """Check a statement's signature, then the certificate's status today (server side)."""
    try:
        _header, claims = read_jws(statement_from(text), keyring().public)
    except BadStatement as exc:
        return StatementCheck(exc.reason)
    number = claims.get("n")
    cert = (
        db.session.scalar(
            select(Certificate).where(Certificate.number == number, Certificate.issuer_key == "")
        )
        if isinstance(number, str)
        else None
    )
    if cert is None:
        return StatementCheck("unknown", claims)
    if statement_claims(cert) != claims:
        # signed by us but no longer what we hold (e.g. a name corrected by re-issuing)
        return StatementCheck(
            "superseded" if cert.status == "superseded" else "unknown", claims, cert
        )
    return StatementCheck(cert.state(local_today()), claims, cert)  # as public_facts does


def revocation_list():
    """Our certificates that must not be trusted any more: revoked ones, with their dates."""
    rows = db.session.execute(
        select(Certificate.number, Certificate.revoked_on)
        .where(Certificate.status == "revoked", Certificate.external.is_(False))
        .order_by(Certificate.number)
    ).all()
    return [{"number": number, "revoked_on": on.isoformat() if on else None} for number, on in rows]
