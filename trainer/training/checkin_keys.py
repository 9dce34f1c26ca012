"""Personal check-in cards: a teacher's staff code signed with the province's Ed25519 key.

A card reads ``TRC1.<kid>.<staff_code>.<signature>``; the trainer's tablet checks the
signature offline with the public key it downloaded, so no network is needed in the room.
``CHECKIN_SIGNING_KEY`` (the 32-byte private seed, base64url) is generated into the instance
folder in development and tests; in production set it, or it is derived from SECRET_KEY.
"""

import base64
import hashlib
import hmac
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PREFIX = "TRC1"


def b64(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def configure(config, instance_path):
    """Fill ``CHECKIN_SIGNING_KEY``: a file in the instance folder in development and tests,
    else a key derived from SECRET_KEY (every app process derives the same one)."""
    if config.get("CHECKIN_SIGNING_KEY"):
        return
    if config.get("TRAINER_ENV") == "development" or config.get("TESTING"):
        path = Path(instance_path) / "checkin_signing_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(b64(secrets.token_bytes(32)))
            path.chmod(0o600)
        config["CHECKIN_SIGNING_KEY"] = path.read_text().strip()
    else:
        seed = hmac.new(
            str(config["SECRET_KEY"]).encode(), b"trainer checkin signing key", hashlib.sha256
        ).digest()
        config["CHECKIN_SIGNING_KEY"] = b64(seed)


class CheckinKey:
    """The signing key of check-in cards, with its public half and a short key id."""

    def __init__(self, seed_b64):
        seed = unb64(seed_b64)
        if len(seed) != 32:
            raise ValueError("CHECKIN_SIGNING_KEY must be 32 bytes, base64url-encoded")
        self.private = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.kid = b64(hashlib.sha256(self.public_raw).digest()[:6])

    @classmethod
    def from_config(cls, config):
        return cls(config["CHECKIN_SIGNING_KEY"])

    @property
    def public_b64(self):
        return b64(self.public_raw)

    def card(self, staff_code):
        """The text of a teacher's card (what the QR code holds)."""
        statement = f"{PREFIX}.{self.kid}.{staff_code}"
        return f"{statement}.{b64(self.private.sign(statement.encode()))}"

    def staff_code_of(self, card):
        """The staff code a genuine card of this key states, else None."""
        statement, _dot, signature = (card or "").strip().rpartition(".")
        prefix, _dot, rest = statement.partition(".")
        kid, _dot, staff_code = rest.partition(".")
        if prefix != PREFIX or kid != self.kid or not staff_code:
            return None
        try:
            Ed25519PublicKey.from_public_bytes(self.public_raw).verify(
                unb64(signature), statement.encode()
            )
        except (InvalidSignature, ValueError):
            return None
        return staff_code


class ExportKey:
    """A user's key for files of unsent marks ("Xuất dữ liệu chưa gửi").

    The tablet gets the private seed with its download (it must sign without a network); the
    seed is derived from the check-in key and the user id, so the server keeps nothing and
    checks a file's signature with the public half. A file edited after it was saved, or
    signed for another user, is refused; what it holds is then checked like any sync."""

    def __init__(self, checkin_key, user_id):
        seed = hmac.new(
            checkin_key.private.private_bytes_raw(),
            f"trainer unsent export {int(user_id)}".encode(),
            hashlib.sha256,
        ).digest()
        self.seed_b64 = b64(seed)
        self.public = Ed25519PrivateKey.from_private_bytes(seed).public_key()

    def verifies(self, payload, signature_b64):
        """True when ``signature_b64`` is this user's signature of ``payload`` (bytes)."""
        try:
            self.public.verify(unb64(str(signature_b64)), payload)
        except (InvalidSignature, ValueError, TypeError):
            return False
        return True
