"""Files of unsent marks ("Xuất dữ liệu chưa gửi"): saved and signed on the tablet, loaded by
another signed-in device or an admin, and applied through the same idempotent sync.

The file is JSON: ``{"format": "trainer-unsent/1", "payload": "<JSON text>", "signature":
"<Ed25519, base64url>"}``; the payload holds ``user_id``, ``user_name``, ``exported_at`` and the
``items`` exactly as the sync sends them. The signature is made on the device with the user's
export key (see ``ExportKey``) over the payload's UTF-8 bytes, so a file edited afterwards, or
claiming another user, is refused as a whole; the items themselves are then checked by the
loader's scope and capability, each applied at most once (by its id made on the device)."""

import json

from ..accounts.models import User
from ..extensions import db
from .checkin_keys import ExportKey
from .errors import TrainingError
from .sync import apply_items

FORMAT = "trainer-unsent/1"
MAX_ITEMS = 5000


class UnsentFileError(Exception):
    """The file cannot be loaded; ``code`` is a ``TrainingError``."""

    def __init__(self, code, **details):
        super().__init__(code)
        self.code = code
        self.details = details

    @property
    def message(self):
        return str(self.code.text) % self.details if self.details else str(self.code.text)


def read_unsent_file(data, checkin_key):
    """``(author, items)`` of a genuine file, else ``UnsentFileError``."""
    try:
        wrapper = json.loads(data.decode("utf-8-sig") if isinstance(data, bytes) else data)
        payload_text = wrapper["payload"]
        if wrapper.get("format") != FORMAT or not isinstance(payload_text, str):
            raise ValueError("not our format")
        payload = json.loads(payload_text)
        user_id, items = payload["user_id"], payload["items"]
        if isinstance(user_id, bool) or not isinstance(user_id, int):
            raise ValueError("user_id")
        if not isinstance(items, list):
            raise ValueError("items")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
        raise UnsentFileError(TrainingError.UNSENT_FILE_INVALID) from None
    author = db.session.get(User, user_id)
    key = ExportKey(checkin_key, user_id)
    if author is None or not key.verifies(payload_text.encode("utf-8"), wrapper.get("signature")):
        raise UnsentFileError(TrainingError.UNSENT_FILE_TAMPERED)
    if len(items) > MAX_ITEMS:
        raise UnsentFileError(TrainingError.UNSENT_FILE_TOO_MANY, maximum=MAX_ITEMS)
    return author, items


def load_unsent_file(scope, user, data, checkin_key):
    """Apply a file's items as ``user`` (the one who loads it): ``(author, rows)``, each row
    an item with its answer (``outcome``, ``reason``, ``repeat``)."""
    author, items = read_unsent_file(data, checkin_key)
    answers = apply_items(scope, user, items, checkin_key=checkin_key, exported_by=author.id)
    return author, [dict(item, **answer) for item, answer in zip(items, answers, strict=True)]
