"""The certificate as an A4 landscape PDF, drawn with ReportLab and the embedded DejaVu fonts.

ReportLab draws straight to PDF operators (a few milliseconds a page), embeds only the glyphs
used, and writes a ToUnicode map so that the Vietnamese text reads back exactly. It loads no
file but the app's own fonts, so nothing outside the app can be fetched while rendering.
"""

import io
import math

import segno
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from ..pdf import SERIF, SERIF_BOLD, prepare_fonts, register_fonts

# Two faces only: every embedded font subset costs time and bytes.
SANS, SANS_BOLD = SERIF, SERIF_BOLD

NAVY, GOLD = HexColor("#16325c"), HexColor("#b8912f")
RED, INK = HexColor("#b3261e"), HexColor("#1d2430")
WIDTH, HEIGHT = landscape(A4)


def draw_frame(c):
    c.setStrokeColor(NAVY)
    c.setLineWidth(3)
    c.rect(18, 18, WIDTH - 36, HEIGHT - 36)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1)
    c.rect(26, 26, WIDTH - 52, HEIGHT - 52)


def draw_emblem(c, x, y, r):
    """The emblem area: a red disc with a gold five-pointed star."""
    c.setFillColor(RED)
    c.setStrokeColor(GOLD)
    c.setLineWidth(2)
    c.circle(x, y, r, fill=1, stroke=1)
    points = []
    for i in range(10):
        radius = r * (0.62 if i % 2 == 0 else 0.25)
        angle = math.pi / 2 + i * math.pi / 5
        points.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
    path = c.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    c.setFillColor(HexColor("#f2c94c"))
    c.drawPath(path, fill=1, stroke=0)


def draw_qr(c, url, x, y, size):
    """The QR code of ``url`` as vector rectangles, one per run of dark cells in a row.

    The operators are written out directly: several hundred rectangles per page through
    ReportLab's path objects cost a fifth of the render time.
    """
    qr = segno.make(url, error="m", mask=2)  # a fixed mask skips scoring all eight
    matrix = qr.matrix
    cell = size / len(matrix)
    ops = []
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * cell
        col, width = 0, len(row)
        while col < width:
            if row[col]:
                end = col
                while end < width and row[end]:
                    end += 1
                ops.append(f"{x + col * cell:.2f} {top:.2f} {(end - col) * cell:.2f} "
                           f"{cell:.2f} re")
                col = end
            else:
                col += 1
    c.saveState()
    c.setFillColor(HexColor("#000000"))
    c._code.append("\n".join(ops) + " f")  # noqa: SLF001  (raw operators, see above)
    c.restoreState()


def centred(c, text, y, font, size, color=INK, x=WIDTH / 2):
    c.setFont(font, size)
    c.setFillColor(color)
    c.drawCentredString(x, y, text)


def fit_size(text, font, size, width):
    """The largest size up to ``size`` at which ``text`` fits in ``width`` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > 8 and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def draw_modules(c, modules, top, locale):
    """The level's modules in two columns."""
    c.setFont(SANS, 9)
    c.setFillColor(INK)
    half = math.ceil(len(modules) / 2)
    for index, module in enumerate(modules):
        column, row = divmod(index, half)
        x = 150 + column * 290
        c.drawString(x, top - row * 13, f"{module.code}  {module.name(locale)}"[:60])


def render_certificate(cert, *, modules, verify_url, qr_data=None, gender=None,
                       place="Điện Biên", locale="vi"):
    """The PDF bytes of ``cert``; ``modules`` are those the level lists; the QR code holds
    ``qr_data`` (``statements.qr_payload``: the address and the signed statement)."""
    register_fonts()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(WIDTH, HEIGHT), pageCompression=1, initialFontName=SERIF)
    prepare_fonts(c, (SERIF, SERIF_BOLD))
    with force_locale(locale):
        c.setTitle(_("Certificate %(number)s", number=cert.number))
        c.setAuthor(cert.issuer)
        draw_frame(c)
        left_x, right_x = 205, WIDTH - 215
        centred(c, cert.issuer.upper(), HEIGHT - 70, SERIF_BOLD,
                fit_size(cert.issuer.upper(), SERIF_BOLD, 11, 330), NAVY, left_x)
        centred(c, _("SOCIALIST REPUBLIC OF VIETNAM"), HEIGHT - 70, SERIF_BOLD, 11, INK, right_x)
        centred(c, _("Independence – Freedom – Happiness"), HEIGHT - 86, SERIF_BOLD, 11, INK,
                right_x)
        c.setLineWidth(0.7)
        c.line(right_x - 85, HEIGHT - 91, right_x + 85, HEIGHT - 91)
        draw_emblem(c, 95, HEIGHT - 150, 34)
        centred(c, _("CERTIFICATE"), HEIGHT - 160, SERIF_BOLD, 34, RED)
        centred(c, _("of digital skills training"), HEIGHT - 182, SERIF, 13, NAVY)
        honorific = {"male": _("Mr"), "female": _("Ms")}.get(gender, _("Mr/Ms"))
        centred(c, _("This certifies that %(honorific)s", honorific=honorific), HEIGHT - 218,
                SERIF, 13)
        centred(c, cert.printed_name, HEIGHT - 252,
                SERIF_BOLD, fit_size(cert.printed_name, SERIF_BOLD, 28, WIDTH - 160), NAVY)
        centred(c, cert.printed_unit, HEIGHT - 274, SERIF, 12)
        level_name = cert.level.name(locale)
        centred(c, _("has met the standard: %(level)s", level=level_name), HEIGHT - 302,
                SERIF_BOLD, fit_size(level_name, SERIF_BOLD, 15, WIDTH - 200), INK)
        if modules:
            centred(c, _("Modules (Circular 03/2014/TT-BTTTT):"), HEIGHT - 324, SANS_BOLD, 9)
            draw_modules(c, modules, HEIGHT - 340, locale)
        draw_qr(c, qr_data or verify_url, 60, 48, 88)
        c.setFont(SANS, 9)
        c.setFillColor(INK)
        c.drawString(158, 118, _("No.: %(number)s", number=cert.number))
        c.drawString(158, 104, _("Verify: scan the code or open"))
        c.setFont(SANS, 7.5)
        c.drawString(158, 92, verify_url)
        day = cert.issued_on
        centred(c, _("%(place)s, %(day)02d/%(month)02d/%(year)d", place=place, day=day.day,
                     month=day.month, year=day.year), 140, SERIF, 12, INK, right_x)
        centred(c, cert.signatory_title.upper(), 122, SERIF_BOLD, 12, INK, right_x)
        if cert.signatory_name:
            centred(c, cert.signatory_name, 58, SERIF_BOLD, 13, INK, right_x)
    c.showPage()
    c.save()
    return buffer.getvalue()
