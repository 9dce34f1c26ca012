"""Printable sheets of one-time passwords, one PDF per school."""

import io
from itertools import groupby
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..pdf import SANS, SANS_BOLD, register_fonts


def password_sheet(unit_name, rows, sign_in_url):
    """A PDF listing name, staff code and one-time password of each person of one school."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm,
                            title=_("Sign-in accounts"), author="trainer")
    title = ParagraphStyle("title", fontName=SANS_BOLD, fontSize=15, leading=19)
    body = ParagraphStyle("body", fontName=SANS, fontSize=10, leading=14)
    header = [_("No."), _("Full name"), _("Staff code"), _("One-time password"), _("Signature")]
    data = [header] + [
        [str(i), staff.full_name, staff.staff_code, password, ""]
        for i, (staff, password) in enumerate(rows, start=1)
    ]
    table = Table(data, colWidths=[12 * mm, 58 * mm, 30 * mm, 42 * mm, 38 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), SANS, 10),
        ("FONT", (0, 0), (-1, 0), SANS_BOLD, 10),
        ("FONT", (3, 1), (3, -1), SANS_BOLD, 11),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    story = [
        Paragraph(escape(_("Sign-in accounts: %(unit)s", unit=unit_name)), title),
        Spacer(1, 4 * mm),
        Paragraph(_("Sign in at %(url)s with your staff code and the one-time password below. "
                    "At the first sign-in you choose your own password (at least 10 "
                    "characters). Cut along the lines and hand each person their own row.",
                    url=escape(sign_in_url)), body),
        Spacer(1, 5 * mm),
        table,
    ]
    doc.build(story)
    return buffer.getvalue()


def sheets_by_unit(created, sign_in_url):
    """``[(unit, pdf_bytes)]``: one password sheet per unit of the created accounts."""
    ordered = sorted(created, key=lambda item: (item[0].org_unit.path, item[0].search_key))
    return [
        (unit, password_sheet(unit.name, list(rows), sign_in_url))
        for unit, rows in groupby(ordered, key=lambda item: item[0].org_unit)
    ]
