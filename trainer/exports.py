"""CSV and XLSX downloads of any table, with cells that cannot run as formulas."""

import csv
import io
from datetime import date, datetime

from flask import Response, has_request_context, request
from openpyxl import Workbook

from .org.text import strip_hidden

FORMULA_STARTS = ("=", "+", "-", "@")


def neutralise(value):
    """The text a spreadsheet will be given: without control, zero-width and bidirectional
    characters (an XLSX cannot hold most of them), then with an apostrophe in front if it
    would be read as a formula.

    The order matters: checked before cleaning, "\\x01=HYPERLINK(…)" passed the check and
    became a formula once the \\x01 was dropped."""
    if not isinstance(value, str):
        return value
    text = strip_hidden(value, keep="\t\n\r")
    if text.startswith(("\t", "\r")) or text.lstrip(" \t\r\n").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def export_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (int, float)):
        return value
    return neutralise(str(value))


def vietnamese_value(value):
    """``export_value`` with a decimal comma, as a Vietnamese-locale Excel reads numbers."""
    value = export_value(value)
    if isinstance(value, float):
        text = str(value)  # the same digits as the plain format, "50.0" → "50,0"
        return (format(value, "f") if "e" in text else text).replace(".", ",")
    return value


def csv_response(filename, header, rows, *, vietnamese=False):
    """A UTF-8 CSV (with BOM, so that Excel reads Vietnamese correctly) as a download.

    ``vietnamese``: the format a Vietnamese-locale Excel opens as columns, ``;`` between
    cells and a decimal comma; else the plain comma format that tools read."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";" if vietnamese else ",")
    cell = vietnamese_value if vietnamese else export_value
    writer.writerow([neutralise(str(h)) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return download(buffer.getvalue().encode("utf-8"), f"{filename}.csv", "text/csv; charset=utf-8")


def xlsx_response(filename, header, rows, title="Data"):
    """An XLSX workbook of one sheet as a download."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(str(h)) for h in header])
    for row in rows:
        sheet.append([export_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return download(
        buffer.getvalue(),
        f"{filename}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def wants_vietnamese_csv():
    """Every CSV download is in the Vietnamese-Excel format unless ``?format=csv-plain``."""
    return not has_request_context() or request.args.get("format") != "csv-plain"


def table_response(fmt, filename, header, rows, title="Data", *, vietnamese=None):
    """CSV or XLSX by ``fmt`` (``vietnamese``: see ``csv_response``; by default the
    Vietnamese-Excel format unless the request asks ``?format=csv-plain``)."""
    if vietnamese is None:
        vietnamese = wants_vietnamese_csv()
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows, title)
    return csv_response(filename, header, rows, vietnamese=vietnamese)


def table_file(fmt, filename, header, rows, title="Data", *, vietnamese=True):
    """``(bytes, file name)`` of the table ``table_response`` would send (for a job's file)."""
    body = table_response(fmt, filename, header, rows, title, vietnamese=vietnamese).get_data()
    return body, f"{filename}.{fmt}"


def download(body, filename, mimetype):
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
