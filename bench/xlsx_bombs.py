"""Crafted workbooks for the XLSX caps (issue 14 finding 14), and their measurement.

``python -m bench.xlsx_bombs KIND MB OUT`` writes one; ``python -m bench.xlsx_bombs --read
FILE`` reads it as an import does and prints the outcome and the seconds it took (run it
under ``/usr/bin/time -v`` for the memory). Kinds: ``rows`` (a sheet of small rows that
unpacks to MB), ``lying`` (the same with the ZIP directory claiming 1 kB per member),
``gaps`` (one row at 1,048,576 and a cell at column XFD), ``strings`` (MB of shared strings).
"""

import io
import struct
import sys
import time
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>staff_code</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>full_name</t></is></c></row>'
)
SHEET_TAIL = "</sheetData></worksheet>"
STRINGS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _write(archive, name, chunks):
    with archive.open(name, "w", force_zip64=False) as member:
        for chunk in chunks:
            member.write(chunk.encode())


def _rows(size):
    yield SHEET_HEAD
    written, number = len(SHEET_HEAD), 2
    while written < size:
        block = "".join(
            f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}"><v>1</v></c></row>'
            for n in range(number, number + 1_000)
        )
        number += 1_000
        written += len(block)
        yield block
    yield SHEET_TAIL


def _gaps():
    yield SHEET_HEAD
    yield '<row r="2"><c r="XFD2"><v>1</v></c></row>'
    yield '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    yield SHEET_TAIL


def _strings(size):
    yield STRINGS_HEAD
    written = 0
    while written < size:
        block = "<si><t>x</t></si>" * 10_000
        written += len(block)
        yield block
    yield "</sst>"


def craft(kind, size):
    """The bytes of a crafted workbook of ``kind`` (see the module's docstring)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ):
            archive.writestr(name, text)
        if kind == "strings":
            _write(archive, "xl/sharedStrings.xml", _strings(size))
        else:
            _write(archive, "xl/sharedStrings.xml", [STRINGS_HEAD, "</sst>"])
        sheet = _gaps() if kind == "gaps" else _rows(size if kind != "strings" else 0)
        _write(archive, "xl/worksheets/sheet1.xml", sheet)
    data = buffer.getvalue()
    return lie_about_sizes(data) if kind == "lying" else data


def lie_about_sizes(data, claimed=1024):
    """``data`` with every member's uncompressed size, in the local headers and the central
    directory, replaced by ``claimed`` (the CRCs are left as they are)."""
    data = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        while start != -1:
            struct.pack_into("<I", data, start + offset, claimed)
            start = data.find(signature, start + 4)
    return bytes(data)


def read(path):
    """Read ``path`` as the staff import does; print the outcome and the seconds."""
    from trainer.imports.reader import FileProblem, read_table

    data = open(path, "rb").read()
    started = time.perf_counter()
    try:
        outcome = f"read {len(read_table(path, data).rows)} rows"
    except FileProblem as exc:
        outcome = f"refused: {exc.message}"
    print(f"{outcome} in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    if sys.argv[1] == "--read":
        read(sys.argv[2])
    else:
        kind, megabytes, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
        with open(out, "wb") as file:
            file.write(craft(kind, int(megabytes * 1024 * 1024)))
