"""Fast bulk inserts for seeding millions of demo rows (plain DBAPI executemany; PostgreSQL's
COPY is ``trainer.pgcopy``).

The ORM's bulk insert processes every value through its types; at the `large` demo scale
that is most of the minute. Here values are converted once per kind instead: datetimes are
stored as SQLAlchemy stores them on SQLite (UTC, "YYYY-MM-DD HH:MM:SS.ffffff") and passed as
they are to PostgreSQL.
"""

from datetime import UTC, date, datetime

from ..extensions import db


def stored(value):
    """``value`` as this database stores it: convert each distinct datetime once, then reuse."""
    if db.session.get_bind().dialect.name != "sqlite":
        return value
    if isinstance(value, datetime):
        return (
            value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        )
    if isinstance(value, date):
        return value.isoformat()
    return value


def insert_rows(table, columns, rows, batch=50000):
    """Insert ``rows`` (tuples in the order of ``columns``, dates already ``stored``)."""
    conn = db.session.connection()
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    # table and column names are constants of the seed code; every value is a bound parameter
    placeholders = ", ".join([mark] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # nosec B608
    for start in range(0, len(rows), batch):
        conn.exec_driver_sql(sql, rows[start : start + batch])
