"""Consistent database copies taken while the application keeps writing."""

import shutil
import sqlite3
import subprocess

from sqlalchemy.engine import make_url

from .config import sqlite_engine_options


def backup_database(url, path, sqlite_library=None):
    """Copy the database at ``url`` to ``path``; return the kind of copy made.

    An SQLite file is read with the SQLite library the app uses for it (``sqlite_library``,
    the ``SQLITE_LIBRARY`` setting): two copies of SQLite in one process do not see each
    other's POSIX locks on the same file, and closing one's connection could drop the
    other's locks (sqlite.org/howtocorrupt.html, 2.2.1)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        module = sqlite_engine_options(sqlite_library).get("module", sqlite3)
        source = module.connect(parsed.database)
        try:
            target = module.connect(path)
            with target:
                source.backup(target)  # SQLite's online backup: a snapshot despite writers
            target.close()
        finally:
            source.close()
        return "sqlite online backup"
    if parsed.get_backend_name() == "postgresql":
        if shutil.which("pg_dump") is None:
            raise RuntimeError("pg_dump is not installed (Debian package postgresql-client)")
        plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        # pg_dump reads in one repeatable-read transaction: a consistent snapshot.
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), plain],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip() or "pg_dump failed")
        return "pg_dump custom format"
    raise RuntimeError(f"backups of {parsed.get_backend_name()} databases are not supported")
