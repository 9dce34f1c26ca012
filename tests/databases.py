"""Which databases the suite runs on: SQLite always, PostgreSQL when it answers."""

import os

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_url():
    """(url, problem): the PostgreSQL URL to test on, or None and why it is unavailable."""
    url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG
    try:
        import psycopg

        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure means the server cannot be used
        return None, f"{url}: {exc}".strip()
    return url, None


def in_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def app_statement(sql):
    """False for the SAVEPOINT bookkeeping of a rolled-back test (not the app's own SQL)."""
    return (
        not sql.lstrip()
        .upper()
        .startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    )
