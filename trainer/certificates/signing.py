"""The province's Ed25519 key: loading, generating, publishing (JWK) and compact JWS (EdDSA).

Nothing here touches the database or the request: the statements and the Open Badges
credential build on these functions.
"""

import base64
import binascii
import hashlib
import json
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
KID_LENGTH = 8  # characters of the RFC 7638 thumbprint: the kid travels in every QR code


class BadKey(ValueError):
    """A configured key that is neither an Ed25519 PEM nor 32 bytes in base64."""


class BadStatement(ValueError):
    """A JWS that is malformed, signed by an unknown key, or whose signature does not match."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason  # "malformed" or "forged"


def b64url(data):
    """base64url without padding (RFC 7515)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text):
    """Bytes of unpadded base64url ``text``; ``BadStatement('malformed')`` if it is not."""
    if not isinstance(text, str) or not BASE64URL.fullmatch(text):
        raise BadStatement("malformed")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise BadStatement("malformed") from None


def _raw_bytes(text):
    try:
        data = base64.b64decode(
            text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4), validate=True
        )
    except (binascii.Error, ValueError):
        raise BadKey("not PEM and not base64") from None
    if len(data) != 32:
        raise BadKey("a raw Ed25519 key is 32 bytes")
    return data


def load_private_key(text):
    """An Ed25519 private key from PEM (PKCS#8) or the base64 of its 32-byte seed."""
    text = (text or "").strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        except (ValueError, TypeError):
            raise BadKey("unreadable PEM private key") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise BadKey("the PEM key is not an Ed25519 key")
        return key
    return Ed25519PrivateKey.from_private_bytes(_raw_bytes(text))


def load_public_key(text):
    """An Ed25519 public key from PEM (SubjectPublicKeyInfo) or the base64 of its 32 bytes."""
    text = (text or "").strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text.encode())
        except (ValueError, TypeError):
            raise BadKey("unreadable PEM public key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise BadKey("the PEM key is not an Ed25519 key")
        return key
    return Ed25519PublicKey.from_public_bytes(_raw_bytes(text))


def generate_key_pair():
    """A new key: (private key PEM, public key PEM, public key as base64 of its 32 bytes)."""
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = key.public_key()
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return private_pem, public_pem, base64.b64encode(raw_public(public)).decode()


def raw_public(public_key):
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key):
    """The first characters of the key's RFC 7638 JWK thumbprint (SHA-256)."""
    canonical = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw_public(public_key))},
        separators=(",", ":"),
        sort_keys=True,
    )
    return b64url(hashlib.sha256(canonical.encode()).digest())[:KID_LENGTH]


def public_jwk(public_key):
    """The public key as a JWK (RFC 8037) with its kid."""
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(raw_public(public_key)),
        "kid": key_id(public_key),
        "alg": "EdDSA",
        "use": "sig",
    }


def compact_json(value):
    """JSON as short as it gets: no spaces, UTF-8 rather than \\u escapes (Vietnamese names)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


class Signer:
    """``sign_jws`` with one key and header, the header (and the key's kid, a hash) encoded
    once: a bulk issue signs thousands of statements."""

    def __init__(self, private_key, *, header=None):
        protected = {"alg": "EdDSA", "kid": key_id(private_key.public_key()), **(header or {})}
        self.key, self.prefix = private_key, b64url(compact_json(protected)) + "."

    def __call__(self, claims):
        signing_input = self.prefix + b64url(compact_json(claims))
        return signing_input + "." + b64url(self.key.sign(signing_input.encode("ascii")))


def sign_jws(claims, private_key, *, header=None):
    """A compact JWS (EdDSA) of the JSON ``claims``, its header naming the key by kid."""
    return Signer(private_key, header=header)(claims)


def read_jws(token, public_keys):
    """(header, claims) of a compact JWS signed by one of ``public_keys`` ({kid: key}).

    Raises ``BadStatement('malformed')`` for something that is not a JWS of JSON objects and
    ``BadStatement('forged')`` for an unknown key or a signature that does not match."""
    parts = token.strip().split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        raise BadStatement("malformed")
    try:
        header = json.loads(unb64url(parts[0]))
        claims = json.loads(unb64url(parts[1]))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadStatement("malformed") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise BadStatement("malformed")
    signature = unb64url(parts[2])
    if len(signature) != 64:
        raise BadStatement("malformed")
    if header.get("alg") != "EdDSA" or header.get("kid") not in public_keys:
        raise BadStatement("forged")
    try:
        public_keys[header["kid"]].verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii"))
    except InvalidSignature:
        raise BadStatement("forged") from None
    return header, claims
