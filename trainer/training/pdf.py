"""The printable sign-in sheet of a session, for schools without a connection."""

import io
from xml.sax.saxutils import escape

from flask_babel import format_datetime
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..pdf import SANS, SANS_BOLD, register_fonts


def sign_in_sheet(session, enrollments, locale="vi"):
    """A4 portrait: session details, then numbered rows with a signature column."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm,
                            topMargin=14 * mm, bottomMargin=14 * mm,
                            title=_("Sign-in sheet"), author="trainer")
    title = ParagraphStyle("title", fontName=SANS_BOLD, fontSize=15, leading=19)
    body = ParagraphStyle("body", fontName=SANS, fontSize=10, leading=14)
    cell = ParagraphStyle("cell", fontName=SANS, fontSize=9.5, leading=12)
    start = format_datetime(session.starts_at, "dd/MM/yyyy HH:mm")
    when = f"{start} – {format_datetime(session.ends_at, 'HH:mm')}"
    details = [
        (_("Module"), f"{session.module.code} · {session.module.name(locale)}"),
        (_("Time"), when),
        (_("Venue"), f"{session.org_unit.name}" + (f" · {session.location}"
                                                    if session.location else "")),
        (_("Trainer"), session.trainer.full_name),
    ]
    story = [Paragraph(escape(_("Sign-in sheet: %(title)s", title=session.title)), title),
             Spacer(1, 3 * mm)]
    for label, value in details:
        story.append(Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", body))
    story.append(Spacer(1, 5 * mm))
    header = [_("No."), _("Full name"), _("Staff code"), _("School"), _("Signature")]
    rows = [header] + [
        [str(i), Paragraph(escape(e.staff.full_name), cell), e.staff.staff_code,
         Paragraph(escape(e.staff.org_unit.name), cell), ""]
        for i, e in enumerate(enrollments, start=1)
    ]
    rows += [[str(i), "", "", "", ""] for i in range(len(enrollments) + 1,
                                                     len(enrollments) + 4)]  # walk-ins
    table = Table(rows, colWidths=[11 * mm, 55 * mm, 27 * mm, 55 * mm, 34 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), SANS, 9.5),
        ("FONT", (0, 0), (-1, 0), SANS_BOLD, 9.5),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f8fb")]),
        ("TOPPADDING", (0, 1), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 7),
    ]))
    story += [table, Spacer(1, 6 * mm),
              Paragraph(escape(_("Trainer's signature: ____________________     Date: "
                                 "____/____/________")), body)]
    doc.build(story)
    return buffer.getvalue()
