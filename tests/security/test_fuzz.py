"""Importers never crash: random bytes and random cells either import or give the row report."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from trainer.imports import KINDS, importer_for
from trainer.imports.base import run_import

COLUMNS = {
    "orgunits": ["code", "name", "kind", "parent_code"],
    "staff": [
        "staff_code",
        "full_name",
        "org_code",
        "position",
        "gender",
        "birth_date",
        "email",
        "phone",
        "status",
    ],
    "certificates": ["staff_code", "level", "number", "issued_on", "issuer", "expires_on"],
    "targets": ["org_code", "level", "year", "percent"],
}
CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.sampled_from(
        ["DB", "DB-A-S1", "basic", "31/02/1990", "giáo viên", "=1+1", "Nữ", "120", "2026"]
    ),
)
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check(report):
    assert report.ok or report.problem is not None or report.errors
    for error in report.errors:
        assert error.row >= 1 and error.column and str(error.reason)


@FUZZ
@given(kind=st.sampled_from(KINDS), data=st.binary(max_size=400))
def test_random_bytes(db, tree, kind, data):
    check(run_import(importer_for(kind), "upload.csv", data, dry_run=True))
    db.session.rollback()


@FUZZ
@given(
    kind=st.sampled_from(KINDS),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=10), max_size=6),
    as_xlsx=st.booleans(),
)
def test_random_cells(db, tree, kind, rows, as_xlsx):
    header = COLUMNS[kind]
    if as_xlsx:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:  # a spreadsheet cannot hold control characters at all
            sheet.append(
                [
                    ILLEGAL_CHARACTERS_RE.sub("", v)
                    if isinstance(v, str)
                    else str(v)
                    if isinstance(v, float)
                    else v
                    for v in row
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        data, name = buffer.getvalue(), "upload.xlsx"
    else:
        lines = [",".join(header)] + [
            ",".join("" if v is None else str(v).replace(",", " ").replace("\n", " ") for v in row)
            for row in rows
        ]
        data, name = "\n".join(lines).encode("utf-8"), "upload.csv"
    check(run_import(importer_for(kind), name, data, dry_run=True))
    db.session.rollback()
