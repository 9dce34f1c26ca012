"""PostgreSQL's COPY for appending many rows: the demo seeds and the staff states' rebuild."""


def copy_rows(connection, table, columns, rows):
    """Append ``rows`` (tuples in the order of ``columns``) to ``table`` with PostgreSQL's
    COPY, in ``connection``'s transaction."""
    # table and column names are constants of the callers; the data goes through COPY
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # nosec B608
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
