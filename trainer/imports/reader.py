"""Read an uploaded CSV (UTF-8, with or without BOM) or XLSX file into header and rows."""

import csv
import io
import itertools
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from ..i18n import Number
from .columns import HEADER_SCAN_ROWS

# Caps that fit a province (15,600 staff; ten times that at the largest demo scale) and keep
# a crafted file from taking minutes and gigabytes: an XLSX is a zip whose members are
# counted before anything is parsed, and both formats are read as a stream of rows.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all members of an XLSX together, once unpacked
MAX_MEMBERS = 1000  # files inside an XLSX (a workbook from Excel has a dozen or two)
MAX_ROWS = 200_000  # rows below the header
MAX_COLUMNS = 100  # columns read per row (later columns are ignored, like any extra column)
MAX_CELLS = 5_000_000  # cells in all rows together
MAX_SHARED_STRINGS = 1_000_000  # distinct texts of an XLSX (openpyxl loads them all first)
#: Rows read to find and check the header of a file too large to read in a request.
PEEK_ROWS = HEADER_SCAN_ROWS + 5


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


def without_trailing_blanks(cells):
    """The header's cells up to its last named column (XLSX rows come padded to
    ``MAX_COLUMNS``)."""
    cells = list(cells)
    while cells and cells[-1] in (None, ""):
        cells.pop()
    return cells


def peek_table(filename, data, resolver=None):
    """``(table, rows)``: the table of the header and the first few rows only, and how many
    rows the file has (counted from its lines or the sheet's dimension: empty rows count),
    without reading every row of a large file."""
    if data[:2] == b"PK" or str(filename).lower().endswith(".xlsx"):
        return read_xlsx(data, resolver, peek=True)
    table = read_csv(data, resolver, peek=True)
    return table, data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def normalise_header(cells):
    cells = without_trailing_blanks(cells)
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
        header=without_trailing_blanks(found.fields),
        header_row=found.index + 1,
        labels=found.labels,
        unknown=found.unknown,
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
    """Append the non-empty rows, numbered from ``start``, as {column: value} to ``table``;
    FileProblem past ``MAX_ROWS`` rows or ``MAX_CELLS`` filled cells (CSV has no other cap)."""
    header = table.header
    cells_seen = 0
    for number, cells in enumerate(raw_rows, start=start):
        if number - start >= MAX_ROWS:
            raise too_many_rows()
        filled = len(cells) - cells.count(None)
        if not filled:  # an empty row (a sheet's gaps come as rows of None)
            continue
        cells_seen += filled - cells.count("")
        if cells_seen > MAX_CELLS:
            raise too_many_cells()
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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return build_table(itertools.islice(reader, PEEK_ROWS) if peek else reader, resolver)
    except csv.Error:  # a cell over csv.field_size_limit() (131,072 characters), a stray NUL
        raise FileProblem(
            _l(
                "Line %(line)d cannot be read: a cell is longer than %(limit)s characters or "
                "its quotes are broken.",
                line=reader.line_num,
                limit=Number(csv.field_size_limit()),
            )
        ) from None


def too_large():
    return FileProblem(
        _l(
            "The workbook is too large once unpacked (more than %(size)s MB): split it into "
            "several files.",
            size=MAX_UNPACKED_BYTES // (1024 * 1024),
        )
    )


def too_many_rows():
    return FileProblem(
        _l(
            "The file has more than %(rows)s rows: split it into several files.",
            rows=Number(MAX_ROWS),
        )
    )


def too_many_cells():
    return FileProblem(
        _l(
            "The file has more than %(cells)s cells: split it into several files.",
            cells=Number(MAX_CELLS),
        )
    )


def too_many_texts():
    return FileProblem(
        _l(
            "The workbook has more than %(texts)s different texts: split it into several files.",
            texts=Number(MAX_SHARED_STRINGS),
        )
    )


class SheetCounter:
    """Counts the rows and cells of a worksheet's XML as it is unpacked (``<row`` and ``<c``
    tags, at the speed of ``bytes.count``), so that a sheet past the caps is refused before
    the slow parse; the parse counts again, exactly, for XML this misses."""

    TAGS = {"rows": (b"<row ", b"<row>"), "cells": (b"<c ", b"<c>"), "texts": (b"<si>", b"<si ")}
    CAPS = {"rows": MAX_ROWS + HEADER_SCAN_ROWS, "cells": MAX_CELLS, "texts": MAX_SHARED_STRINGS}

    def __init__(self):
        self.counts = dict.fromkeys(self.TAGS, 0)
        self.tail = b""

    def feed(self, chunk):
        text = self.tail + chunk
        self.tail = tail = chunk[-4:]  # a tag cut in two by the chunks is counted once
        for kind, tags in self.TAGS.items():
            self.counts[kind] += sum(text.count(t) - tail.count(t) for t in tags)
            if self.counts[kind] > self.CAPS[kind]:
                raise {"rows": too_many_rows, "cells": too_many_cells, "texts": too_many_texts}[
                    kind
                ]()


def check_archive(data):
    """Refuse an XLSX that unpacks to more than ``MAX_UNPACKED_BYTES``: by the sizes its
    directory declares, then by the bytes really unpacked, counted as they come (a directory
    can lie), with each worksheet's rows and cells, before openpyxl parses anything. A
    damaged member (bad CRC) is refused too."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise FileProblem(_l("The file is not a valid XLSX workbook."))
            if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
                raise too_large()
            unpacked, rows = 0, 0
            for info in members:
                counted = info.filename.startswith("xl/worksheets/") or info.filename.endswith(
                    "sharedStrings.xml"
                )
                sheet = SheetCounter() if counted else None
                with archive.open(info) as member:
                    while chunk := member.read(1024 * 1024):
                        unpacked += len(chunk)
                        if unpacked > MAX_UNPACKED_BYTES:
                            raise too_large()
                        if sheet is not None:
                            sheet.feed(chunk)
                if sheet is not None and info.filename.startswith("xl/worksheets/"):
                    rows += sheet.counts["rows"]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        raise FileProblem(_l("The file is not a valid XLSX workbook.")) from None
    except RuntimeError:  # an encrypted member
        raise FileProblem(_l("The file is not a valid XLSX workbook.")) from None
    return rows


def read_xlsx(data, resolver=None, peek=False):
    """The first sheet, read as a stream (openpyxl's read-only mode) within the caps; with
    ``peek``, ``(table, rows)``: its first rows only, and how many rows the workbook holds
    (counted while unpacking it: empty rows count too)."""
    rows = check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise FileProblem(_l("The file is not a valid XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        # the <dimension> a file declares may be wrong either way: too small would cut rows
        # off, too large would pad every row to 16,384 columns
        sheet.reset_dimensions()
        cells = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        if not peek:
            return build_table(cells, resolver)
        return build_table(itertools.islice(cells, PEEK_ROWS), resolver), rows
    except FileProblem:
        raise
    except (SyntaxError, ValueError, KeyError, TypeError, OSError, EOFError, zipfile.BadZipFile):
        # a damaged sheet shows up while it is read (XML errors are SyntaxErrors)
        raise FileProblem(_l("The file is not a valid XLSX workbook.")) from None
    finally:
        workbook.close()
