"""One issuer of the race in ``test_race.py``, in a process of its own.

``python -m tests.certificates.race URL INSTANCE DIR NAME TOKEN bulk ORG LEVEL``
``python -m tests.certificates.race URL INSTANCE DIR NAME TOKEN single LEVEL CODE [CODE…]``

The child builds the app, writes ``DIR/NAME.ready`` and waits for ``DIR/go`` so that every
issuer starts at the same moment, then calls the JSON API (each call is one request, one
transaction) and prints one JSON line per call: ``[status, body]``.
"""

import json
import sys
import time
from pathlib import Path

from tests.conftest import base_config
from trainer import create_app


def main(url, instance, folder, name, token, how, *args):
    app = create_app(base_config(url, RATELIMIT_ENABLED=False))
    app.instance_path = instance
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    folder = Path(folder)
    (folder / f"{name}.ready").touch()
    deadline = time.monotonic() + 120
    while not (folder / "go").exists():
        if time.monotonic() > deadline:
            return 2
        time.sleep(0.005)
    if how == "bulk":
        org, level = args
        calls = [("/api/v1/certificates/bulk", {"org": org, "level": level})]
    else:
        level, *codes = args
        calls = [("/api/v1/certificates", {"staff_code": code, "level": level}) for code in codes]
    for path, body in calls:
        response = client.post(path, json=body, headers=headers)
        print(json.dumps([response.status_code, response.get_json()]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
