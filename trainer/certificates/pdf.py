"""Certificates as PDF: the design's words and colours filled in, laid out by WeasyPrint.

``render_certificates`` lays out many certificates in one WeasyPrint pass (fonts, styles and
images loaded once) and cuts the result into one PDF per certificate. It is two steps:
``certificate_batch`` (in the app: the words, translated, and the page's HTML) and
``write_certificate_pdfs`` (anywhere, also in a worker process without the app: the QR codes
and WeasyPrint), so that bulk rendering can spread the second over several processes.
"""

import io
import math
import re
import struct
import zlib
from dataclasses import dataclass, field
from functools import cache

import zxingcpp
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..documents import write_pdfs
from ..documents.fonts import subset_font
from ..documents.render import warm_up as warm_documents
from .design_spec import DEFAULT_DESIGN, sentence_parts


@dataclass
class CertificateJob:
    """One certificate to print: the row, what to print with it, and the design."""

    cert: object
    modules: list
    verify_url: str
    gender: str | None = None
    place: str = "Điện Biên"
    design: object = DEFAULT_DESIGN
    design_key: str = "default"
    qr_data: str | None = None  # the address and its signed statement (else the address)


#: The certificate's layout (``templates/documents/``), parsed once per process.
STYLESHEET = "certificate.css"
#: Its user-agent stylesheet: the few of WeasyPrint's rules certificate.html relies on.
USER_AGENT = "certificate_ua.css"


def star_points(r=34):
    points = []
    for i in range(10):
        radius = r * (0.62 if i % 2 == 0 else 0.25)
        angle = -math.pi / 2 + i * math.pi / 5  # SVG's y axis points down
        points.append(f"{radius * math.cos(angle):.2f},{radius * math.sin(angle):.2f}")
    return " ".join(points)


STAR = star_points()


def emblem_svg(colours):
    """The default emblem (a star on a disc in the design's colours, validated ``#rrggbb``) as
    SVG: drawn by WeasyPrint once a process and design, then reused on every page
    (``documents.vector``), where an inline ``<svg>`` was built and drawn again on each."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-36 -36 72 72" width="68pt" '
        f'height="68pt"><circle r="34" fill="{colours["title"]}" stroke="{colours["accent"]}" '
        f'stroke-width="2"/><polygon fill="#f2c94c" points="{STAR}"/></svg>'
    )


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def qr_bitmap(url, scale=4):
    """The QR code of ``url`` as ``(width, height, rows)``: 8-bit greyscale rows of ``scale``
    pixels a module, each with a PNG filter byte, deflated (a PNG's IDAT; printed 88pt wide,
    unsmoothed: ``image-rendering: pixelated``; 4 pixels a module still decode from a page
    rasterised at 150 dpi, 1 or 3 did not). WeasyPrint writes them into the PDF as they are
    (``render_document``'s ``bitmaps``), where a PNG is decoded and encoded again by Pillow.

    A bitmap: WeasyPrint draws it in one operation, where the same code as an SVG path is
    hundreds of path commands parsed and drawn in Python on every page. The code is made by
    zxing-cpp (C++: ≈ 1 ms for a signed statement, where segno's pure-Python Reed–Solomon
    took ≈ 6 ms idle and ≈ 10 ms under load, a quarter of a certificate's CPU), whose picture
    is already one byte a pixel, dark 0 and light 255: only the rows' filters are added."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    pixels = memoryview(code.to_image(scale=scale, add_quiet_zones=False))
    height, width = pixels.shape
    raw = pixels.tobytes()
    rows, previous, same = [], None, b"\x02" + bytes(width)
    for y in range(height):
        row = raw[y * width : (y + 1) * width]
        # a row like the one above (``scale`` - 1 of every ``scale``) is PNG's "Up" filter:
        # all zeros, which deflate at its fastest level still packs small (4 kB, not 10)
        rows.append(same if row == previous else b"\x00" + row)
        previous = row
    return width, height, zlib.compress(b"".join(rows), 1)


def qr_png(url, scale=4):
    """The QR code of ``url`` as a greyscale PNG (``qr_bitmap`` with its PNG header)."""
    width, height, rows = qr_bitmap(url, scale)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


#: A module's line (certificate.css ``.modules``): 9pt of the serif face, in a column as wide
#: as A4 less ``.main``'s left and right, ``.columns``' padding and a list's 8pt, by orientation.
MODULE_FACE, MODULE_SIZE = "DejaVuSerif.ttf", 9
MODULE_WIDTH = {"landscape": (841.89 - 300 - 20) / 2 - 8, "portrait": (595.28 - 100 - 20) / 2 - 8}


_SPACES = re.compile(" +")  # collapsed to one as printed; other whitespace is no letter of ours


@cache
def _advances():
    """{code point: advance in em} of the modules' face: the vendored subset has no kerning
    or layout tables, so a line's width is the sum of its letters' advances."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(subset_font(MODULE_FACE)))
    em, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
    return {code: metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()}


def module_lines(modules, orientation):
    """Whether every module's line (``(code, name)``) fits a column's width with room to spare
    (a twentieth; the sum is exact to a hundredth of a point): then the template prints each
    column as one block of lines (one box, where a list made three a module: ≈ 1 ms a
    certificate), which prints as the list only as long as no line wraps. A letter the face
    lacks (another font's width) or a line break, tab… (kept as such in a block of lines):
    never."""
    advances, room = _advances(), MODULE_WIDTH[orientation] * 0.95 / MODULE_SIZE
    try:
        return all(
            sum(advances[ord(letter)] for letter in _SPACES.sub(" ", f"{code} {name}")) <= room
            for code, name in modules
        )
    except KeyError:
        return False


def default_emblem(job):
    """The image name of the default emblem in ``job``'s design's colours."""
    return f"emblem-d-{job.design_key}"


def emblems_of(jobs):
    """``{image name: SVG}`` of the default emblems ``jobs`` print (one per design)."""
    return {
        default_emblem(job): emblem_svg(job.design.colours)
        for job in jobs
        if job.design.shows("emblem") and not job.design.emblem_image
    }


def page_of(job, locale="vi"):
    """What the template needs for one certificate page (gettext inside ``force_locale``)."""
    cert, design = job.cert, job.design
    day = cert.issued_on
    honorific = {"male": _("Mr"), "female": _("Ms")}.get(job.gender, _("Mr/Ms"))
    values = {
        "name": cert.printed_name,
        "unit": cert.printed_unit,
        "level": cert.level.name(locale),
        "modules": ", ".join(m.code for m in job.modules),
        "number": cert.number,
        "date": f"{day.day:02d}/{day.month:02d}/{day.year}",
        "honorific": honorific,
    }
    modules = [(m.code, m.name(locale)) for m in job.modules]
    lines = [
        (
            "name" if sentence.strip() == "{name}" else "line",
            sentence_parts(sentence.strip(), values),
        )
        for sentence in design.body
    ]
    return {
        "orientation": design.orientation,
        "style_key": f"d-{job.design_key}",
        "shows": design.shows,
        "colours": design.colours,
        "issuer": cert.issuer,
        "motto": (_("SOCIALIST REPUBLIC OF VIETNAM"), _("Independence – Freedom – Happiness")),
        "emblem_url": f"trainer:image/{design.emblem_image or default_emblem(job)}",
        "signature_url": (
            f"trainer:image/{design.signature_image}" if design.signature_image else None
        ),
        "title": design.title,
        "subtitle": design.subtitle,
        "lines": lines,
        "modules_heading": _("Modules (Circular 03/2014/TT-BTTTT):"),
        "modules": modules,
        "module_lines": module_lines(modules, design.orientation),
        "qr_name": f"qr-{cert.number}",
        "qr_data": job.qr_data or job.verify_url,
        "verify_url": job.verify_url,
        "number_line": _("No.: %(number)s", number=cert.number),
        "verify_label": _("Verify: scan the code or open"),
        "place_date": _(
            "%(place)s, %(day)02d/%(month)02d/%(year)d",
            place=job.place,
            day=day.day,
            month=day.month,
            year=day.year,
        ),
        "signatory_title": cert.signatory_title,
        "signatory_name": cert.signatory_name,
    }


#: Whitespace between two of the template's block-level tags (never around text, ``span`` or
#: ``br``): each run was a text box WeasyPrint built, then found empty and dropped.
_BLOCK = r"</?(?:html|head|meta|title|body|section|div|p|h1|h2|ul|li|svg)\b[^>]*>"
_BETWEEN_BLOCKS = re.compile(rf"({_BLOCK})\s+(?={_BLOCK})")


def styles_of(jobs):
    """One CSS rule set per design in the batch (colours are validated ``#rrggbb``)."""
    seen = {}
    for job in jobs:
        seen.setdefault(job.design_key, {"key": f"d-{job.design_key}", **job.design.colours})
    return list(seen.values())


@dataclass
class CertificateBatch:
    """Certificates ready for WeasyPrint: their HTML (one page each), the text of each QR code
    by image name, the other images and each PDF's metadata. Plain data: it can be handed
    to another process."""

    html: str
    qr_codes: dict
    images: dict
    metadata: list
    css: str = ""  # the designs' colours
    vectors: dict = field(default_factory=dict)  # our own SVGs (the default emblems) by name
    layers: list = None  # each page's static layer (HTML), or None: the pages print whole

    def __len__(self):
        return len(self.metadata)


def certificate_batch(jobs, *, images=None, locale="vi"):
    """The ``CertificateBatch`` of ``jobs`` (in the app: templates and translations)."""
    with force_locale(locale):
        pages = [page_of(job, locale) for job in jobs]
        metadata = [
            {
                "title": _("Certificate %(number)s", number=job.cert.number),
                "authors": [job.cert.issuer],
            }
            for job in jobs
        ]
        html = render_template(
            "documents/certificate.html",
            pages=pages,
            layer="own",
            styles=[],  # handed over as ``css``: parsed once a process and design
            title=_("Certificates"),
            author=jobs[0].cert.issuer,
        )
        layers = static_layers(pages)
    html = _BETWEEN_BLOCKS.sub(r"\1", html)
    vectors = emblems_of(jobs)
    return CertificateBatch(
        html,
        {page["qr_name"]: page["qr_data"] for page in pages},
        # the emblems also as SVG images: what WeasyPrint draws them with when not given them
        # as ``vectors`` (e.g. bench/passes.py's pypdf split)
        {**(images or {}), **{n: (svg.encode(), "image/svg+xml") for n, svg in vectors.items()}},
        metadata,
        render_template("documents/certificate_colours.css", styles=styles_of(jobs)),
        vectors,
        layers,
    )


#: What a page's static layer prints (certificate.html): its frame, header and emblem.
_STATIC_BLOCKS = ("frame", "motto", "emblem")


def static_layers(pages):
    """The HTML of each page's static layer (the same text for pages that print it alike)."""
    made, layers = {}, []
    for page in pages:
        key = (
            page["orientation"],
            page["style_key"],
            page["issuer"],
            page["motto"],
            page["emblem_url"],
            tuple(page["shows"](block) for block in _STATIC_BLOCKS),
        )
        if key not in made:
            text = render_template(
                "documents/certificate.html", pages=[page], layer="static", styles=[], title=""
            )
            made[key] = _BETWEEN_BLOCKS.sub(r"\1", text)
        layers.append(made[key])
    return layers


def write_certificate_pdfs(batch):
    """One PDF (bytes) per certificate of ``batch``, laid out in one WeasyPrint pass; needs
    no app (a worker process runs it)."""
    return write_pdfs(
        batch.html,
        [1] * len(batch),
        images=batch.images,
        bitmaps={name: qr_bitmap(data) for name, data in batch.qr_codes.items()},
        vectors=batch.vectors,
        metadata=batch.metadata,
        stylesheets=[STYLESHEET],
        css=[batch.css],
        user_agent=USER_AGENT,
        layers=batch.layers,
    )


def render_certificates(jobs, *, images=None, locale="vi"):
    """One PDF (bytes) per job, all laid out in one pass; ``images`` are the designs'.

    A certificate's PDF is the same whether it was printed alone or in a batch."""
    if not jobs:
        return []
    return write_certificate_pdfs(certificate_batch(jobs, images=images, locale=locale))


def warm_up(app=None):
    """Load what the first certificate of this process would otherwise pay for: WeasyPrint
    with our fonts and ``certificate.css``, the QR encoder and, given the ``app``, the
    compiled template (the app and its job worker call it at start, the render workers when
    they start)."""
    if app is not None:
        app.jinja_env.get_template("documents/certificate.html")
    qr_bitmap("https://trainer.example.vn/verify/warm-up")
    warm_documents(stylesheets=[STYLESHEET], user_agent=USER_AGENT)


def render_certificate(
    cert,
    *,
    modules,
    verify_url,
    gender=None,
    place="Điện Biên",
    locale="vi",
    design=DEFAULT_DESIGN,
    images=None,
):
    """The PDF bytes of one certificate."""
    job = CertificateJob(cert, modules, verify_url, gender, place, design)
    return render_certificates([job], images=images, locale=locale)[0]
