"""Consistent database copies taken while the application keeps writing."""

import shutil
import sqlite3
import subprocess

from sqlalchemy.engine import make_url


def backup_database(url, path):
    """Copy the database at ``url`` to ``path``; return the kind of copy made."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        source = sqlite3.connect(parsed.database)
        try:
            target = sqlite3.connect(path)
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
