"""Certificates as PDF: the design's words and colours filled in, laid out by WeasyPrint.

``render_certificates`` lays out many certificates in one WeasyPrint pass (fonts, styles and
images loaded once) and cuts the result into one PDF per certificate.
"""

import io
import math
from dataclasses import dataclass

import segno
from flask_babel import force_locale
from flask_babel import gettext as _

from ..documents import render_template_pdfs
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


def star_points(r=34):
    points = []
    for i in range(10):
        radius = r * (0.62 if i % 2 == 0 else 0.25)
        angle = -math.pi / 2 + i * math.pi / 5  # SVG's y axis points down
        points.append(f"{radius * math.cos(angle):.2f},{radius * math.sin(angle):.2f}")
    return " ".join(points)


STAR = star_points()


def qr_png(url):
    """The QR code of ``url`` as a PNG of one pixel per module (printed 88pt wide, unsmoothed).

    A bitmap of a few hundred bytes: WeasyPrint draws it in one operation, where the same code
    as an SVG path is hundreds of path commands parsed and drawn in Python on every page."""
    buffer = io.BytesIO()
    segno.make(url, error="m", mask=2).save(buffer, kind="png", scale=4, border=0)
    return buffer.getvalue()


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
        "star": STAR,
        "issuer": cert.issuer,
        "motto": (_("SOCIALIST REPUBLIC OF VIETNAM"), _("Independence – Freedom – Happiness")),
        "emblem_url": f"trainer:image/{design.emblem_image}" if design.emblem_image else None,
        "signature_url": (
            f"trainer:image/{design.signature_image}" if design.signature_image else None
        ),
        "title": design.title,
        "subtitle": design.subtitle,
        "lines": lines,
        "modules_heading": _("Modules (Circular 03/2014/TT-BTTTT):"),
        "modules": [(m.code, m.name(locale)) for m in job.modules],
        "qr_name": f"qr-{cert.number}",
        "qr_png": qr_png(job.qr_data or job.verify_url),
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


def styles_of(jobs):
    """One CSS rule set per design in the batch (colours are validated ``#rrggbb``)."""
    seen = {}
    for job in jobs:
        seen.setdefault(job.design_key, {"key": f"d-{job.design_key}", **job.design.colours})
    return list(seen.values())


def render_certificates(jobs, *, images=None, locale="vi"):
    """One PDF (bytes) per job, all laid out in one pass; ``images`` are the designs'.

    A certificate's PDF is the same whether it was printed alone or in a batch."""
    if not jobs:
        return []
    with force_locale(locale):
        pages = [page_of(job, locale) for job in jobs]
        images = {
            **(images or {}),
            **{page["qr_name"]: (page["qr_png"], "image/png") for page in pages},
        }
        metadata = [
            {
                "title": _("Certificate %(number)s", number=job.cert.number),
                "authors": [job.cert.issuer],
            }
            for job in jobs
        ]
        return render_template_pdfs(
            "certificate.html",
            [1] * len(jobs),
            images=images,
            metadata=metadata,
            pages=pages,
            styles=styles_of(jobs),
            title=_("Certificates"),
            author=jobs[0].cert.issuer,
        )


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
