"""HTML from the Jinja templates under ``templates/documents/``, laid out by WeasyPrint."""

import atexit
import copy
import gc
import sys
import threading
from contextlib import contextmanager
from functools import cache
from hashlib import md5
from pathlib import Path
from xml.etree.ElementTree import XML, ParseError  # nosec B405: our templates' output only

from flask import render_template

from .deflate import deflated
from .fetcher import DocumentFetcher
from .fonts import font_face_css
from .layers import drop as drop_layers
from .layers import image_key, layered
from .layers import layer as static_layer
from .vector import vector_image

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "documents"

_local = threading.local()


def _fonts():
    """The font configuration and ``@font-face`` stylesheet of this thread, made once.

    Registering the faces is a good part of the time of a small document; a
    ``FontConfiguration`` is not shared between threads."""
    if getattr(_local, "fonts", None) is None:
        from weasyprint.text.fonts import FontConfiguration

        config = FontConfiguration()
        _local.fonts = (config, _parsed(font_face_css(), config))
    return _local.fonts


def _parsed(text, config):
    """The stylesheet ``text`` parsed by WeasyPrint with the font configuration ``config`` and
    the app's fetcher, registered for shared styles (``styles.shareable``)."""
    from weasyprint import CSS

    from .styles import shareable

    css = CSS(string=text, font_config=config, url_fetcher=DocumentFetcher().for_weasyprint())
    return shareable(css, text)


def stylesheet(name):
    """``templates/documents/<name>`` parsed by WeasyPrint once per thread (with its fonts).

    A document's own ``<style>`` is parsed again for every document: for a certificate that
    was a sixth of its time. A stylesheet handed over this way is of the *user* origin: the
    document's own rules (e.g. a design's colours) still win over it."""
    sheets = getattr(_local, "sheets", None)
    if sheets is None:
        sheets = _local.sheets = {}
    if name not in sheets:
        sheets[name] = _parsed((TEMPLATES / name).read_text(encoding="utf-8"), _fonts()[0])
    return sheets[name]


def css_stylesheet(text, keep=64):
    """The stylesheet ``text`` parsed by WeasyPrint once per thread while it is among the last
    ``keep`` used (e.g. a certificate design's colours: a document's own ``<style>`` is parsed
    for every document). Of the *user* origin, as ``stylesheet``'s."""
    parsed = getattr(_local, "css", None)
    if parsed is None:
        parsed = _local.css = {}
    if text in parsed:
        parsed[text] = parsed.pop(text)  # the most recently used last
    else:
        if len(parsed) >= keep:
            del parsed[next(iter(parsed))]
        parsed[text] = _parsed(text, _fonts()[0])
    return parsed[text]


@atexit.register
def _drop_fonts():
    # Freed during the interpreter's teardown, the font configuration's Pango objects could
    # be released after the libraries they belong to: the process then ended with a
    # segmentation fault (exit status 139) after its work, e.g. ``trainer certificates``.
    _local.fonts = None
    _local.sheets = None
    _local.css = None
    drop_layers()
    styles = sys.modules.get(f"{__package__}.styles")  # shared styles hold the fonts too
    if styles is not None:
        styles.drop()


_gc_lock = threading.Lock()
_gc_state = {"depth": 0, "saved": None}


@contextmanager
def fewer_collections(threshold=100_000):
    """Run the cyclic garbage collector less often while WeasyPrint works.

    Laying out a page makes hundreds of thousands of small objects that live until the PDF
    is written: with Python's default thresholds the collector runs thousands of times over
    them, and over the whole heap of the app each time it reaches the oldest generation
    (a fifth to a quarter of the time of a batch). The thresholds are the process's, so
    nested and concurrent renders share them and the last one out restores them."""
    with _gc_lock:
        if _gc_state["depth"] == 0:
            _gc_state["saved"] = gc.get_threshold()
            gc.set_threshold(max(threshold, _gc_state["saved"][0]), *_gc_state["saved"][1:])
        _gc_state["depth"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["depth"] -= 1
            if _gc_state["depth"] == 0:
                gc.set_threshold(*_gc_state["saved"])


#: User-agent rules our documents never need, each computed for every element of every page:
#: footnote and note pseudo-elements (no template uses ``float: footnote`` or notes), and
#: ``::marker`` for any element rather than for list items (a fifth of the styling time).
_UA_UNUSED = (
    "::footnote-call",
    "::footnote-marker",
    "::note-call",
    "::note-marker",
    "::note-callback",
)


@cache
def _document_class():
    """WeasyPrint's ``HTML`` with the user-agent stylesheet less the rules in ``_UA_UNUSED``.

    ``_ua_stylesheets`` is WeasyPrint's own hook (weasyprint is pinned to 70.x); if its
    stylesheet ever reads differently, the stock one is kept."""
    from weasyprint import CSS, HTML
    from weasyprint import html as ua
    from weasyprint.css.counters import CounterStyle

    from .styles import shareable

    text, stock = ua.UA, [ua.UA_STYLESHEET]
    for rule in _UA_UNUSED:
        start = text.find("\n" + rule + " {")
        if start < 0:
            return HTML
        text = text[:start] + text[text.index("\n", start + 1) :]
    if "\n::marker {" not in text:
        return HTML
    # its @counter-style rules are already in WeasyPrint's UA_COUNTER_STYLE, which documents
    # use: they are read into a throwaway one (read into that one, they are warned about)
    text = text.replace("\n::marker {", "\nli::marker, summary::marker {")
    lean = [shareable(CSS(string=text, counter_style=CounterStyle()), text)]

    class DocumentHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return lean if not forms else stock

    return DocumentHTML


@cache
def _document_class_with(user_agent):
    """WeasyPrint's ``HTML`` for a document whose template is ours alone (e.g. a
    certificate): its user-agent stylesheet is ``templates/documents/<user_agent>`` instead of
    WeasyPrint's (only the rules the template relies on are matched and cascaded for each of
    its elements), and a template that is well-formed XML is parsed by expat (in C: a
    fifteenth of a certificate's time went to parsing its HTML in Python); anything else is
    parsed as HTML, as WeasyPrint does. What expat reads is our template's output, every
    value escaped by Jinja, without a DTD (and it expands no external entities)."""
    import cssselect2
    from weasyprint import CSS, HTML

    from .styles import shareable

    text = (TEMPLATES / user_agent).read_text(encoding="utf-8")
    sheets = [shareable(CSS(string=text), text)]

    class OwnTemplateHTML(HTML):
        def __init__(self, *, string, base_url=None, url_fetcher=None):
            try:
                root = XML(string)
            except ParseError:
                super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
                return
            # what HTML.__init__ sets, from the tree expat made (no <base>: no base URL)
            self.base_url, self.url_fetcher, self.media_type = base_url, url_fetcher, "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                root, content_language=None
            )
            self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms=False):
            return sheets

    return OwnTemplateHTML


def html_document(html, fetcher, user_agent=None):
    document_class = _document_class_with(user_agent) if user_agent else _document_class()
    return document_class(string=html, base_url=None, url_fetcher=fetcher.for_weasyprint())


@cache
def _grey_bitmap_class():
    import pydyf
    from PIL import Image
    from weasyprint.images import RasterImage

    class GreyBitmap(RasterImage):
        """An 8-bit greyscale image given as its PNG-filtered, deflated rows (a PNG's IDAT),
        written into the PDF as they are: the PDF's ``/FlateDecode`` with ``/Predictor 15``
        reads a PNG's rows. WeasyPrint decodes a PNG image and encodes it again with Pillow
        for every PDF (a certificate's QR code: ≈ 1.2 ms each)."""

        def __init__(self, url, width, height, rows):
            blank = Image.new("L", (width, height))
            blank.format = "PNG"  # the PNG is never read: get_x_object writes ``rows``
            super().__init__(blank, md5(url.encode(), usedforsecurity=False).hexdigest(), b"")
            self._rows = rows

        def get_x_object(self, interpolate, dpi_ratio):
            assert dpi_ratio == 1, "documents are written at the images' own resolution"
            extra = pydyf.Dictionary(
                {
                    "Type": "/XObject",
                    "Subtype": "/Image",
                    "Width": self.width,
                    "Height": self.height,
                    "ColorSpace": "/DeviceGray",
                    "BitsPerComponent": 8,
                    "Interpolate": "true" if interpolate else "false",
                    "Filter": "/FlateDecode",
                    "DecodeParms": pydyf.Dictionary({"Predictor": 15, "Columns": self.width}),
                }
            )
            return pydyf.Stream([self._rows], extra)

    return GreyBitmap


#: Whether documents share computed styles with the earlier ones of their thread (``styles``).
SHARE_STYLES = True


def render_document(
    html,
    *,
    images=None,
    stylesheets=(),
    css=(),
    user_agent=None,
    bitmaps=None,
    vectors=None,
    layers=None,
):
    """``html`` laid out by WeasyPrint (a ``Document``) with the ``stylesheets`` of
    ``templates/documents`` (see ``stylesheet``), the ``css`` texts (see ``css_stylesheet``)
    and, given one, the ``user_agent`` stylesheet of ``templates/documents`` in place of
    WeasyPrint's; it can load only ``images``, ``bitmaps`` (``{name: (width, height,
    PNG-filtered deflated rows)}`` of 8-bit greyscale, also ``trainer:image/<name>``),
    ``vectors`` (``{name: our own SVG's text}``, drawn once a process: see ``vector``) and the
    app's own files (see ``DocumentFetcher``). ``layers`` gives each page the HTML of its
    static layer, laid out alike and kept (see ``layers``), or None."""
    from weasyprint import DEFAULT_OPTIONS, Document

    from .styles import SharedStylesDocument

    config, fonts = _fonts()
    ready = {
        url: _grey_bitmap_class()(url, *bitmap)
        for url, bitmap in ((f"trainer:image/{n}", b) for n, b in (bitmaps or {}).items())
    }
    ready.update((f"trainer:image/{n}", vector_image(svg)) for n, svg in (vectors or {}).items())
    options = {
        **DEFAULT_OPTIONS,
        "stylesheets": [fonts, *map(stylesheet, stylesheets), *map(css_stylesheet, css)],
        "cache": ready,
    }
    # what HTML.render does, with styles shared between documents (see ``styles``)
    document_class = SharedStylesDocument if SHARE_STYLES else Document

    def laid_out(text):
        return document_class._render(
            html_document(text, DocumentFetcher(images), user_agent), config, None, None, options
        )

    document = laid_out(html)
    if layers is not None:
        if len(layers) != len(document.pages):
            raise PageCountMismatch(f"{len(document.pages)} pages, {len(layers)} layers")
        alike = (tuple(stylesheets), tuple(css), user_agent)
        layered(document, _layers(layers, laid_out, alike, images, vectors))
    return document


def _layers(texts, laid_out, alike, images, vectors):
    """The ``Layer`` of each HTML in ``texts`` (None stays None), laid out by ``laid_out``
    with what makes documents ``alike`` (their stylesheets) and the images each names."""
    made = {}
    for text in texts:
        if text is not None and text not in made:
            key = (*alike, image_key(text, images, vectors))
            made[text] = static_layer(text, key, laid_out)
    return [made.get(text) for text in texts]


def _pdf(document, identifier):
    # The fonts are subset to the glyphs each PDF uses (HarfBuzz, in C): embedding them whole
    # (full_fonts) made WeasyPrint read every glyph of every face with fontTools for each
    # PDF. A fixed identifier keeps a re-rendered document byte for byte the same. Streams
    # are deflated at zlib's default level (``deflate``), not pydyf's slowest.
    return document.write_pdf(pdf_identifier=identifier, uncompressed_pdf=False, finisher=deflated)


def write_pdf(html, *, images=None, identifier=b"trainer"):
    """The PDF bytes of ``html``; the only resources it can load are those of ``fetcher``."""
    with fewer_collections():
        return _pdf(render_document(html, images=images), identifier)


def render_template_pdf(template, *, images=None, **context):
    """Render ``templates/documents/<template>`` with ``context`` to PDF bytes."""
    return write_pdf(render_template(f"documents/{template}", **context), images=images)


#: A 4×4 greyscale PNG (what a certificate's QR code is): loads Pillow's PNG reader and writer.
_WARM_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000040000000408000000008c9ac1a200000010"
    "4944415478da6360f8ff9f81019500004fc407f9498520a20000000049454e44ae426082"
)


def warm_up(stylesheets=(), user_agent=None):
    """Load now, in this thread, what the first document would otherwise pay for: WeasyPrint
    and Pango, the font faces, the lean user-agent stylesheet, ``stylesheets``, Pillow's PNG
    codecs and the PDF writer (a small page laid out and written, then dropped)."""
    html = (
        "<p style='font-family: \"Trainer Serif\"'>Chứng nhận <b>Đức</b></p>"
        "<p style='font-family: \"Trainer Sans\"'>Chứng nhận <b>Đức</b></p>"
        "<img src='trainer:image/warm-up' style='image-rendering: pixelated'>"
    )
    write_pdfs(
        html,
        [1],
        images={"warm-up": (_WARM_PNG, "image/png")},
        stylesheets=stylesheets,
        user_agent=user_agent,
    )


class PageCountMismatch(RuntimeError):
    """The laid-out document does not have the pages its parts should have."""


def write_pdfs(html, page_counts, *, metadata=None, identifier=b"trainer", **rendering):
    """``html`` laid out in one pass (``rendering``: ``render_document``'s images, stylesheets,
    layers…) and written as consecutive PDFs of ``page_counts`` pages; ``metadata`` gives each
    part its own (e.g. ``{"title": …, "authors": [...]}``).

    Each part is written from its own laid-out pages (``Document.copy``), not cut out of one
    big PDF: it carries only the glyphs and images it uses, and is byte for byte the PDF the
    same pages laid out alone would give."""
    with fewer_collections():
        document = render_document(html, **rendering)
        if len(document.pages) != sum(page_counts):
            raise PageCountMismatch(f"{len(document.pages)} pages, expected {sum(page_counts)}")
        parts = _parts(document, page_counts, metadata, identifier)
        # freed now, while the collector still waits: restored to its thresholds, it would go
        # through the whole laid-out document first (≈ 1 ms of a lone certificate's CPU)
        del document
    return parts


def _parts(document, page_counts, metadata, identifier):
    parts, start = [], 0
    for index, count in enumerate(page_counts):
        part = document.copy(document.pages[start : start + count])
        if metadata:
            part.metadata = copy.copy(document.metadata)
            for name, value in metadata[index].items():
                setattr(part.metadata, name, value)
        parts.append(_pdf(part, identifier))
        start += count
    return parts


def render_template_pdfs(template, page_counts, *, images=None, metadata=None, **context):
    """Render ``templates/documents/<template>`` once and write it as ``page_counts`` PDFs."""
    return write_pdfs(
        render_template(f"documents/{template}", **context),
        page_counts,
        images=images,
        metadata=metadata,
    )
