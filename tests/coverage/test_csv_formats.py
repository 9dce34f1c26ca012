"""Every CSV download opens in a Vietnamese-locale Excel (BOM, ";", decimal comma), and
``?format=csv-plain`` keeps the comma format for tools (issue 19, item 5)."""

import csv
import io

import pytest

from .. import factories
from .test_completeness import world


def rows_of(response, delimiter):
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


@pytest.mark.parametrize(
    "path",
    [
        "/coverage/uncertified.csv?org=DB-A",
        "/coverage/activity.csv?org=DB",
        "/coverage/completeness.csv?org=DB",
        "/coverage/export.csv?org=DB",
        "/staff/export.csv?org=DB",
    ],
)
def test_csv_downloads_are_vietnamese_excel_unless_plain(client, login_as, db, tree, path):
    world(db, tree)
    login_as("admin")
    vietnamese = rows_of(client.get(path), ";")
    plain = rows_of(client.get(path + "&format=csv-plain"), ",")
    assert len(vietnamese) == len(plain) > 1
    assert all(len(row) == len(vietnamese[0]) > 2 for row in vietnamese)
    assert all(len(row) == len(plain[0]) for row in plain)
    assert [len(r) for r in vietnamese] == [len(r) for r in plain]


def test_a_decimal_comma_in_the_activity_csv(client, login_as, db, tree):
    world(db, tree)  # DB-A: 3 held sessions, 2 of 3 enrolments present or late
    login_as("admin")
    row = next(
        r for r in rows_of(client.get("/coverage/activity.csv?org=DB"), ";") if r[0] == "DB-A"
    )
    assert row[4] == "100,0"
    plain = rows_of(client.get("/coverage/activity.csv?org=DB&format=csv-plain"), ",")
    assert next(r for r in plain if r[0] == "DB-A")[4] == "100.0"


def test_the_staff_export_job_keeps_the_chosen_format(app, client, login_as, db, tree):
    for name in ("Quàng Văn Đức", "Đặng Văn Đức", "Lò Văn Đức"):
        factories.make_staff(tree["DB-A-S1"], name)
    db.session.commit()
    login_as("admin")
    app.config["EXPORT_INLINE_ROWS"] = 1
    for suffix, delimiter in (("", ";"), ("&format=csv-plain", ",")):
        started = client.post("/staff/export.csv?org=DB-A-S1&q=duc" + suffix)
        assert started.status_code == 302
        client.get(started.location)
        rows = rows_of(client.get(started.location + "/file"), delimiter)
        assert len(rows) == 4 and all(len(r) == len(rows[0]) > 2 for r in rows)
