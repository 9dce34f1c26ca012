"""Run one multi-row operation in a process of its own and SIGKILL it part-way.

``python -m tests.security.killed_midway URL STATEMENT:N api TOKEN METHOD PATH JSON``
``python -m tests.security.killed_midway URL STATEMENT:N import KIND FILE``

The process watches the SQL it sends and kills itself with SIGKILL just before sending the
N-th statement that starts with STATEMENT (say ``INSERT INTO audit_entries:1``): no Python
clean-up, no rollback, no closing of connections, exactly as when the OOM killer or a power
cut stops a worker. The operation's earlier writes have reached the database inside its open
transaction by then.
"""

import json
import os
import signal
import sys

from sqlalchemy import event

from tests.conftest import base_config
from trainer import create_app
from trainer.extensions import db


def kill_at(engine, where):
    start, number = where.rsplit(":", 1)
    seen = 0

    @event.listens_for(engine, "before_cursor_execute")
    def watch(conn, cursor, statement, parameters, context, executemany):
        nonlocal seen
        if " ".join(statement.split()).startswith(start):
            seen += 1
            if seen == int(number):
                os.write(2, f"killed before {where}\n".encode())  # fd 2: past any capture
                os.kill(os.getpid(), signal.SIGKILL)


def main(url, where, how, *args):
    app = create_app(base_config(url, RATELIMIT_ENABLED=False))
    with app.app_context():
        kill_at(db.engine, where)
        if how == "api":
            token, method, path, body = args
            response = app.test_client().open(
                path,
                method=method,
                json=json.loads(body),
                headers={"Authorization": f"Bearer {token}"},
            )
            print(response.status_code, response.get_data(as_text=True)[:300])
        else:
            kind, path = args
            result = app.test_cli_runner().invoke(args=["import", kind, path])
            print(result.exit_code, result.output[-300:])
    return 0  # reaching here means the kill never came: the test fails on the exit code


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
