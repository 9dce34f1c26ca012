"""Finding 14.14: a crafted XLSX is refused in seconds with bounded memory.

The caps (``trainer.imports.reader``): 100 MB unpacked (declared sizes, then the bytes really
unpacked, counted as they come), 200,000 rows, 5,000,000 cells, 1,000,000 shared strings,
100 columns read per row; workbooks are read as a stream (openpyxl read-only). The crafted
files come from ``bench/xlsx_bombs.py``; here they are small and the caps lowered to match,
so the test is quick and shows each cap refusing before the slow parse."""

import pytest
from flask_babel import force_locale

from bench.xlsx_bombs import craft
from trainer.imports import reader
from trainer.imports.reader import FileProblem, read_table

MB = 1024 * 1024


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNPACKED_BYTES", 4 * MB)
    monkeypatch.setattr(reader, "MAX_ROWS", 2_000)
    monkeypatch.setattr(reader, "MAX_CELLS", 5_000)
    monkeypatch.setattr(reader, "MAX_SHARED_STRINGS", 1_000)
    reader.SheetCounter.CAPS.update(rows=2_000 + reader.HEADER_SCAN_ROWS, cells=5_000, texts=1_000)
    yield
    reader.SheetCounter.CAPS.update(
        rows=reader.MAX_ROWS + reader.HEADER_SCAN_ROWS,
        cells=reader.MAX_CELLS,
        texts=reader.MAX_SHARED_STRINGS,
    )


@pytest.fixture
def never_parsed(monkeypatch):
    """Fails the test if openpyxl is asked to parse the file: the caps refuse it before."""

    def parse(*args, **kwargs):
        raise AssertionError("openpyxl parsed a file the caps should have refused")

    monkeypatch.setattr(reader, "load_workbook", parse)


def refused(data):
    with pytest.raises(FileProblem) as problem:
        read_table("bomb.xlsx", data)
    return str(problem.value.message)


def test_the_caps_fit_a_province():
    assert reader.MAX_UNPACKED_BYTES == 100 * MB  # half of the 200 MB before
    assert (reader.MAX_ROWS, reader.MAX_CELLS, reader.MAX_SHARED_STRINGS) == (
        200_000,
        5_000_000,
        1_000_000,
    )


def test_too_large_once_unpacked_is_refused_before_parsing(small_caps, never_parsed):
    assert "too large once unpacked" in refused(craft("rows", 5 * MB))


def test_a_directory_that_lies_about_sizes_is_refused(small_caps, never_parsed):
    assert "not a valid XLSX" in refused(craft("lying", 5 * MB))


def test_too_many_rows_are_refused_while_unpacking(small_caps, never_parsed):
    message = refused(craft("rows", 3 * MB))  # ~40,000 tiny rows under 4 MB
    assert "more than 2,000 rows" in message


def test_a_row_far_down_and_a_cell_far_right_are_capped(small_caps):
    message = refused(craft("gaps", 0))  # rows 2 and 1,048,576; column XFD
    assert "more than 2,000 rows" in message


def test_a_shared_strings_bomb_is_refused(small_caps, never_parsed):
    assert "different texts" in refused(craft("strings", 1 * MB))


def test_the_caps_numbers_are_written_the_readers_way(small_caps, app):
    with app.test_request_context(), force_locale("vi"):
        message = refused(craft("rows", 3 * MB))
    assert "2.000" in message and "2,000" not in message


def test_a_workbook_within_the_caps_is_read(small_caps):
    table = read_table("ok.xlsx", craft("rows", 0.05 * MB))
    assert table.header == ["staff_code", "full_name"] and 500 < len(table.rows) < 2_000
    assert table.rows[0] == (2, {"staff_code": "2", "full_name": "1"})
