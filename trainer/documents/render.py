"""HTML from the Jinja templates under ``templates/documents/``, laid out by WeasyPrint."""

import io
import threading

from flask import render_template

from .fetcher import DocumentFetcher
from .fonts import font_face_css

_local = threading.local()


def _fonts():
    """The font configuration and ``@font-face`` stylesheet of this thread, made once.

    Registering the faces is a good part of the time of a small document; a
    ``FontConfiguration`` is not shared between threads."""
    if getattr(_local, "fonts", None) is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        config = FontConfiguration()
        css = CSS(string=font_face_css(), font_config=config,
                  url_fetcher=DocumentFetcher().for_weasyprint())
        _local.fonts = (config, css)
    return _local.fonts


def html_document(html, fetcher):
    from weasyprint import HTML

    return HTML(string=html, base_url=None, url_fetcher=fetcher.for_weasyprint())


def write_pdf(html, *, images=None, identifier=b"trainer"):
    """The PDF bytes of ``html``; the only resources it can load are those of ``fetcher``."""
    config, css = _fonts()
    fetcher = DocumentFetcher(images)
    # full_fonts: the faces are already subset (see fonts.py); a fixed identifier keeps
    # a re-rendered document byte for byte the same.
    return html_document(html, fetcher).write_pdf(
        stylesheets=[css], font_config=config, full_fonts=True, pdf_identifier=identifier,
        uncompressed_pdf=False)


def render_template_pdf(template, *, images=None, **context):
    """Render ``templates/documents/<template>`` with ``context`` to PDF bytes."""
    return write_pdf(render_template(f"documents/{template}", **context), images=images)


class PageCountMismatch(RuntimeError):
    """The laid-out document does not have the pages its parts should have."""


def split_pages(pdf, page_counts, *, titles=None):
    """``pdf`` cut into consecutive documents of ``page_counts`` pages each."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    if len(reader.pages) != sum(page_counts):
        raise PageCountMismatch(f"{len(reader.pages)} pages, expected {sum(page_counts)}")
    metadata = {k: v for k, v in (reader.metadata or {}).items()
                if k in ("/Author", "/Creator", "/Producer")}
    parts, start = [], 0
    for index, count in enumerate(page_counts):
        writer = PdfWriter()
        for page in reader.pages[start:start + count]:
            writer.add_page(page)
        writer.add_metadata({**metadata, **({"/Title": titles[index]} if titles else {})})
        buffer = io.BytesIO()
        writer.write(buffer)
        parts.append(buffer.getvalue())
        start += count
    return parts
