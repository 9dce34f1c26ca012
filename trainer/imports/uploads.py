"""Uploaded import files waiting for their confirmation, kept under a random token."""

import re
import secrets
from pathlib import Path

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def upload_dir(instance_path):
    """Where uploads wait (the instance folder: web and job workers share it)."""
    path = Path(instance_path) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep_upload(instance_path, data):
    """Store ``data`` and return its new token."""
    token = secrets.token_urlsafe(24)
    (upload_dir(instance_path) / token).write_bytes(data)
    return token


def upload_path(instance_path, token):
    """The stored file of ``token`` (``None`` for a malformed token); it may not exist."""
    if not TOKEN.match(token or ""):
        return None
    return upload_dir(instance_path) / token
