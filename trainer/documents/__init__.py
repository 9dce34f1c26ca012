"""PDF documents: Jinja templates under ``templates/documents/`` laid out by WeasyPrint.

Fonts are the vendored DejaVu faces subset once (``fonts``); every resource a document
refers to goes through the restricted fetcher (``fetcher``).
"""

from .fetcher import DocumentFetcher, FetchRefused
from .render import render_template_pdf, render_template_pdfs, write_pdf, write_pdfs

__all__ = [
    "DocumentFetcher",
    "FetchRefused",
    "render_template_pdf",
    "render_template_pdfs",
    "write_pdf",
    "write_pdfs",
]
