"""Uploaded files kept between the check and the confirmation of an import: where, and the
shape of the token that names one."""

import re
from pathlib import Path

from flask import current_app

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def upload_dir():
    path = Path(current_app.instance_path) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path
