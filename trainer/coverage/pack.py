"""The report pack (issue 19, item 5): one XLSX, or the same as a PDF, per unit, level and
date, with the sheets a Department sends upward. Every figure comes from the functions the
pages and the API call (``cached_coverage``, ``year_on_year``, ``level_distribution``,
``activity``, ``to_do``, ``completeness``); this module only lays them out.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..curriculum.eligibility import all_levels
from ..exports import neutralise
from ..labels import POSITIONS, label
from ..timeutil import local_date
from . import queries
from .breakdown import Dimension
from .completeness import MISSING, completeness, completeness_table, urgency
from .dimension_labels import DIMENSION_LABELS, breakdown_value
from .levels import level_distribution
from .services import cached_coverage
from .yearly import Structure, change, totals, year_on_year

#: the single dimensions of the breakdowns sheet, as a ministry's tables have them
PACK_DIMENSIONS = (
    Dimension.SCHOOL_LEVEL,
    Dimension.GENDER,
    Dimension.ETHNIC_MINORITY,
    Dimension.DISADVANTAGED,
    Dimension.POSITION,
)
#: Excel number formats by kind of column (Excel shows them with the reader's separators:
#: "1.234" and "84,5" in a Vietnamese locale)
FORMATS = {"int": "#,##0", "pct": "0.0", "points": "+0.0;-0.0;0.0", "date": "dd/mm/yyyy"}


@dataclass
class Sheet:
    """One table of the pack: ``kinds`` says per column text, int, pct, points or date."""

    title: str
    header: list
    kinds: list
    rows: list = field(default_factory=list)
    #: the kind of each row's value, for a sheet of (name, value) rows
    row_kinds: list | None = None
    #: a long list of people: the PDF prints one row per unit (see ``grouped``)
    per_person: bool = False


def pack_sheets(unit, level, as_of, *, progress=None):
    """[Sheet] of the pack in order; ``progress`` is called once per sheet."""
    step = progress or (lambda count=1: None)
    head, rows = cached_coverage(unit, level, as_of)
    sheets = [summary_sheet(unit, level, as_of, head)]
    step()
    sheets.append(breakdown_sheet(unit, level, as_of))
    step()
    sheets.append(units_sheet(head, rows))
    step()
    sheets.append(levels_sheet(unit, as_of))
    step()
    sheets.append(activity_sheet(unit))
    step()
    sheets.append(uncertified_sheet(unit, level, as_of))
    step()
    sheets.append(completeness_sheet(unit))
    step()
    return sheets


SHEET_COUNT = 7


def summary_sheet(unit, level, as_of, head):
    _then, rows = year_on_year(unit, level, as_of, [Dimension.CHILD.value], Structure.DATE)
    then_total, then_certified, then_percent = totals(rows, "last_year_")
    sheet = Sheet(_("Summary"), [_("Figure"), _("Value")], ["text", "text"])
    sheet.rows = [
        [_("Unit"), f"{head.name} ({head.code})"],
        [_("Level"), level.name_vi],
        [_("As of"), as_of],
        [_("Staff"), head.staff_total],
        [_("Certified"), head.certified],
        [_("Percent"), head.percent],
        [_("Target, percent"), head.target_percent],
        [_("Gap"), head.gap],
        [_("Staff last year"), then_total],
        [_("Certified last year"), then_certified],
        [_("Percent last year"), then_percent],
        [_("Change, points"), change(head.percent, then_percent)],
    ]
    sheet.row_kinds = [
        "text",
        "text",
        "date",
        "int",
        "int",
        "pct",
        "pct",
        "points",
        "int",
        "int",
        "pct",
        "points",
    ]
    return sheet


def breakdown_sheet(unit, level, as_of):
    sheet = Sheet(
        _("Breakdowns"),
        [
            _("Attribute"),
            _("Value"),
            _("Staff"),
            _("Certified"),
            _("Percent"),
            _("Staff last year"),
            _("Certified last year"),
            _("Percent last year"),
            _("Change, points"),
        ],
        ["text", "text", "int", "int", "pct", "int", "int", "pct", "points"],
    )
    for dimension in PACK_DIMENSIONS:
        _then, rows = year_on_year(unit, level, as_of, [dimension.value], Structure.DATE)
        for r in rows:
            sheet.rows.append(
                [
                    str(DIMENSION_LABELS[dimension]),
                    breakdown_value(dimension, r[dimension.value], {}),
                    r["staff_total"],
                    r["certified"],
                    r["percent"],
                    r["last_year_staff_total"],
                    r["last_year_certified"],
                    r["last_year_percent"],
                    r["change"],
                ]
            )
    return sheet


def units_sheet(head, rows):
    sheet = Sheet(
        _("By unit"),
        [_("Unit code"), _("Unit"), _("Staff"), _("Certified"), _("Percent")]
        + [_("Target, percent"), _("Gap")],
        ["text", "text", "int", "int", "pct", "pct", "points"],
    )
    sheet.rows = [
        [r.code, r.name, r.staff_total, r.certified, r.percent, r.target_percent, r.gap]
        for r in (head, *rows)
    ]
    return sheet


def levels_sheet(unit, as_of):
    keys, head, rows = level_distribution(unit, as_of)
    names = {"none": _("No certificate")}
    names |= {lv.code: lv.name_vi for lv in all_levels()}
    sheet = Sheet(
        _("Level distribution"),
        [_("Unit code"), _("Unit"), *(names.get(k, k) for k in keys), _("Staff")],
        ["text", "text", *(["int"] * len(keys)), "int"],
    )
    sheet.rows = [
        [r.code, r.name, *(r.counts[k] for k in keys), r.staff_total] for r in (head, *rows)
    ]
    return sheet


def activity_sheet(unit):
    header, body = queries.activity_table(queries.activity(unit))
    sheet = Sheet(
        _("Training activity"), header, ["text", "text", "int", "int", "pct", "int", "int", "pct"]
    )
    sheet.rows = body
    return sheet


def uncertified_sheet(unit, level, as_of):
    sheet = Sheet(
        _("Uncertified staff"),
        [
            _("Staff code"),
            _("Full name"),
            _("Unit"),
            _("Position"),
            _("Missing modules"),
            _("Next session"),
            _("Session date"),
        ],
        ["text", "text", "text", "text", "text", "text", "date"],
        per_person=True,
    )
    sheet.rows = [
        [
            s.staff_code,
            s.full_name,
            s.org_unit.name,
            str(label(POSITIONS, s.position)),
            ", ".join(missing),
            nxt.title if nxt else "",
            local_date(nxt.starts_at) if nxt else None,
        ]
        for s, missing, nxt in queries.to_do(unit, level, as_of)
    ]
    return sheet


def completeness_sheet(unit):
    header, body = completeness_table(sorted(completeness(unit), key=urgency))
    sheet = Sheet(
        _("Data completeness"),
        header,
        ["text", "text", "int", "date", *(["int"] * len(MISSING)), "int"],
    )
    sheet.rows = body
    return sheet


def kinds_of(sheet, row_index):
    """The kinds of one row's cells (the summary's are per row, in its value column)."""
    if sheet.row_kinds is not None:
        return ["text", sheet.row_kinds[row_index]]
    return sheet.kinds


def cell(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return neutralise(value)
    return value


def width(values):
    longest = max((len(str(v)) for v in values if v is not None), default=8)
    return min(max(longest + 2, 8), 60)


def write_xlsx(sheets, *, title):
    """The XLSX bytes of ``sheets``: bold frozen header, column widths, number formats, A4
    printing fitted to the page width with the header repeated on every page. Written as a
    stream (openpyxl's write-only mode): a province's pack is thousands of rows."""
    book = Workbook(write_only=True)
    book.properties.title = title
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF6")
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        for column, header in enumerate(sheet.header, start=1):
            values = [header] + [r[column - 1] for r in sheet.rows[:2000]]
            ws.column_dimensions[get_column_letter(column)].width = width(values)
        ws.freeze_panes = "A2"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.orientation = "landscape" if len(sheet.header) > 6 else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
        heading = []
        for header in sheet.header:
            c = WriteOnlyCell(ws, neutralise(str(header)))
            c.font, c.fill, c.alignment = bold, fill, wrap
            heading.append(c)
        ws.append(heading)
        for index, row in enumerate(sheet.rows):
            cells = []
            for value, kind in zip(row, kinds_of(sheet, index), strict=False):
                c = WriteOnlyCell(ws, cell(value))
                if kind in FORMATS:
                    c.number_format = FORMATS[kind]
                cells.append(c)
            ws.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf_text(value, kind):
    """A cell as the PDF prints it: Vietnamese separators ("1.234", "84,5")."""
    if value is None:
        return "–" if kind in ("pct", "points") else ""
    if kind == "date" or isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if kind == "int" and isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if kind in ("pct", "points") and isinstance(value, (int, float)):
        text = f"{value:+.1f}" if kind == "points" and value else f"{value:.1f}"
        return text.replace(".", ",")
    return str(value)


def grouped(sheet):
    """A list of people as the PDF prints it: per unit, how many and who with what is
    missing ("Lò Thị Mai (T00012): IU01, IU02"). Laid out person by person, the province's
    2,400 uncertified staff took WeasyPrint half a minute; the XLSX keeps one row each."""
    if not sheet.per_person:
        return sheet
    units = {}
    for code, name, unit, _position, missing, *_rest in sheet.rows:
        units.setdefault(unit, []).append(f"{name} ({code}): {missing}" if missing else name)
    result = Sheet(
        sheet.title,
        [sheet.header[2], _("Staff"), sheet.header[1]],
        ["text", "int", "text"],
    )
    result.rows = [[unit, len(people), "; ".join(people)] for unit, people in units.items()]
    return result


def write_pdf(sheets, *, title, as_of):
    """The PDF bytes of ``sheets``: one section per sheet, header rows repeated per page."""
    from ..documents import render_template_pdf

    tables = []
    for sheet in map(grouped, sheets):
        body = [
            [
                (pdf_text(v, kind), kind != "text")
                for v, kind in zip(row, kinds_of(sheet, i), strict=False)
            ]
            for i, row in enumerate(sheet.rows)
        ]
        header = [str(h) for h in sheet.header]
        # fixed column widths from the texts: WeasyPrint's automatic table layout measures
        # every cell twice, minutes for a province's thousands of rows
        sizes = [
            min(max(len(h) // 2, *(len(r[i][0]) for r in body[:500]), 4), 40)
            for i, h in enumerate(header)
        ]
        widths = [round(100 * size / sum(sizes), 1) for size in sizes]
        tables.append((sheet.title, header, widths, body))
    return render_template_pdf("report_pack.html", title=title, as_of=as_of, tables=tables)
