"""A one-page PDF report of a unit's coverage that a head can send upward."""

import io
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..pdf import SANS, SANS_BOLD, register_fonts


def number(value):
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def bars(rows, width=180 * mm):
    """The children as horizontal bars with the target marked."""
    label_width, row_height = 62 * mm, 13
    drawing = Drawing(width, row_height * len(rows) + 6)
    scale = (width - label_width - 16 * mm) / 100
    for i, row in enumerate(rows):
        y = drawing.height - (i + 1) * row_height
        drawing.add(String(label_width - 4, y + 3, row.name[:40], fontName=SANS, fontSize=7.5,
                           textAnchor="end"))
        drawing.add(Rect(label_width, y + 1, 100 * scale, row_height - 4,
                         fillColor=colors.HexColor("#e4e8ee"), strokeColor=None))
        reached = row.target_percent is None or (row.percent or 0) >= row.target_percent
        drawing.add(Rect(label_width, y + 1, (row.percent or 0) * scale, row_height - 4,
                         fillColor=colors.HexColor("#1a7f37" if reached else "#b35c00"),
                         strokeColor=None))
        if row.target_percent is not None:
            x = label_width + row.target_percent * scale
            drawing.add(Line(x, y, x, y + row_height - 2, strokeWidth=1.5))
        drawing.add(String(label_width + 100 * scale + 4, y + 3, number(row.percent),
                           fontName=SANS, fontSize=7.5))
    return drawing


def coverage_report(head, rows, *, level, as_of):
    """A4 portrait: headline, children table and chart."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=14 * mm, bottomMargin=14 * mm,
                            title=_("Coverage report: %(unit)s", unit=head.name))
    title = ParagraphStyle("t", fontName=SANS_BOLD, fontSize=15, leading=19)
    body = ParagraphStyle("b", fontName=SANS, fontSize=10, leading=14)
    headline = _("%(certified)s of %(total)s active staff hold %(level)s: %(percent)s %%",
                 certified=head.certified, total=head.staff_total, level=level.name_vi,
                 percent=number(head.percent))
    target = (_("Target %(target)s %%, gap %(gap)s points.", target=number(head.target_percent),
                gap=number(head.gap)) if head.target_percent is not None
              else _("No target set."))
    data = [[_("Unit"), _("Staff"), _("Certified"), _("Percent"), _("Target, percent"), _("Gap")]]
    data += [[Paragraph(escape(r.name), body), str(r.staff_total), str(r.certified),
              number(r.percent), number(r.target_percent), number(r.gap)] for r in rows]
    table = Table(data, colWidths=[70 * mm, 20 * mm, 22 * mm, 20 * mm, 25 * mm, 20 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), SANS, 9), ("FONT", (0, 0), (-1, 0), SANS_BOLD, 9),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story = [Paragraph(escape(_("Coverage report: %(unit)s", unit=head.name)), title),
             Paragraph(escape(_("As of %(date)s", date=as_of.strftime("%d/%m/%Y"))), body),
             Spacer(1, 4 * mm), Paragraph(escape(headline), body),
             Paragraph(escape(target), body), Spacer(1, 5 * mm)]
    if rows:
        story += [table, Spacer(1, 6 * mm), bars(rows)]
    doc.build(story)
    return buffer.getvalue()
