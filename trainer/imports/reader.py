"""Read an uploaded CSV (UTF-8, with or without BOM) or XLSX file into header and rows."""

import csv
import io
import itertools
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from .columns import HEADER_SCAN_ROWS

#: Rows read to find and check the header of a file too large to read in a request.
PEEK_ROWS = HEADER_SCAN_ROWS + 5

# An XLSX is a zip: refuse one that would unpack to something huge before opening it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


class FileProblem(Exception):
    """The file as a whole cannot be read; ``message`` says what to do."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Table:
    """The header (trimmed, lower case, or the fields a ``HeaderResolver`` recognised) and the
    non-empty rows with their spreadsheet numbers."""

    header: list
    rows: list = field(default_factory=list)  # [(row_number, {column: value})]
    header_row: int = 1  # the spreadsheet row of the header
    labels: dict = field(default_factory=dict)  # field → the file's own header label
    unknown: list = field(default_factory=list)  # header labels nothing recognised


def read_table(filename, data, resolver=None):
    """Parse ``data`` as XLSX when it is a zip (or named .xlsx), else as CSV. With a
    ``HeaderResolver`` the header row is searched for and its labels resolved to fields."""
    if data[:2] == b"PK" or str(filename).lower().endswith(".xlsx"):
        return read_xlsx(data, resolver)
    return read_csv(data, resolver)


def peek_table(filename, data, resolver=None):
    """``(table, rows)``: the table of the header and the first few rows only, and how many
    rows the file has (counted from its lines or the sheet's dimension: empty rows count),
    without reading every row of a large file."""
    if data[:2] == b"PK" or str(filename).lower().endswith(".xlsx"):
        return read_xlsx(data, resolver, peek=True)
    table = read_csv(data, resolver, peek=True)
    return table, data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def normalise_header(cells):
    header = [str(cell).strip().lower() if cell is not None else "" for cell in cells]
    named = [name for name in header if name]
    duplicates = sorted({name for name in named if named.count(name) > 1})
    if duplicates:
        raise FileProblem(
            _l("The header repeats the column(s): %(names)s.", names=", ".join(duplicates))
        )
    if not named:
        raise FileProblem(_l("The first row must name the columns."))
    return header


def cell_value(value):
    """Strings trimmed; whole numbers from spreadsheets without ".0"; dates kept as dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def resolved_table(raw_rows, resolver):
    """A table whose header row is the one ``resolver`` locates among the first rows."""
    first = list(itertools.islice(raw_rows, HEADER_SCAN_ROWS))
    found = resolver.locate(first)
    if found is None:
        raise FileProblem(_l("The file is empty."))
    if found.collisions:
        raise FileProblem(
            _l(
                "The header repeats the column(s): %(names)s.",
                names=", ".join(sorted({c.lower() for c in found.collisions})),
            )
        )
    if not any(found.fields) and not found.unknown:
        raise FileProblem(_l("The first row must name the columns."))
    table = Table(
        header=found.fields, header_row=found.index + 1, labels=found.labels, unknown=found.unknown
    )
    fill_rows(table, itertools.chain(first[found.index + 1 :], raw_rows), found.index + 2)
    return table


def build_table(raw_rows, resolver=None):
    raw_rows = iter(raw_rows)
    if resolver is not None:
        return resolved_table(raw_rows, resolver)
    try:
        header = normalise_header(next(raw_rows))
    except StopIteration:
        raise FileProblem(_l("The file is empty.")) from None
    table = Table(header=header)
    fill_rows(table, raw_rows, 2)
    return table


def fill_rows(table, raw_rows, start):
    """Append the non-empty rows, numbered from ``start``, as {column: value} to ``table``."""
    header = table.header
    for number, cells in enumerate(raw_rows, start=start):
        values = {}
        for name, cell in zip(header, cells, strict=False):
            if name:
                values[name] = cell_value(cell)
        if any(value not in ("", None) for value in values.values()):
            table.rows.append((number, values))


def read_csv(data, resolver=None, peek=False):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(
            _l(
                'The file is not UTF-8 text. In Excel choose "Save as" → "CSV UTF-8 (Comma '
                'delimited)", or save it as an Excel workbook (.xlsx), and upload it again.'
            )
        ) from None
    if "\x00" in text:
        raise FileProblem(_l("The file is not a CSV or XLSX table."))
    # the header may stand below title rows: guess the separator from the first lines
    first_lines = text.split("\n", HEADER_SCAN_ROWS)[:HEADER_SCAN_ROWS]
    delimiter = max((",", ";", "\t"), key=lambda sep: max(line.count(sep) for line in first_lines))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return build_table(itertools.islice(rows, PEEK_ROWS) if peek else rows, resolver)


def read_xlsx(data, resolver=None, peek=False):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FileProblem(_l("The file is not a valid XLSX workbook.")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(_l("The workbook is too large once unpacked."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise FileProblem(_l("The file is not a valid XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        if not peek:
            return build_table(sheet.iter_rows(values_only=True), resolver)
        first = itertools.islice(sheet.iter_rows(values_only=True), PEEK_ROWS)
        table = build_table(first, resolver)
        rows = sheet.max_row  # the sheet's recorded dimension, when it has one
        if rows is None:
            rows = sum(1 for _row in sheet.iter_rows(values_only=True))
        return table, rows
    finally:
        workbook.close()
