"""Static layers: the part of a page that many documents print alike, laid out once.

A certificate's frame, its header (issuer and motto) and its emblem are the same on every
certificate of a design and issuer, yet WeasyPrint styled, laid out and drew them again for
each: a fifth of a lone certificate's time. A page can be given a *static layer*: the HTML of
those parts alone, on a page of its own size, laid out by WeasyPrint once per thread while it
is among the last 64 used (``layer``). Painting the page (``layered``) paints its layer first,
then the page's own boxes, which leave the layer's place empty: the page prints as one made of
both, and the same whether it was printed alone or in a batch.

A layer is painted from its drawing, recorded once (``Layer.recorded``): PDF operators that
name fonts, opacity states and images only, whose glyphs are added to each PDF's fonts (so
that each PDF's subset carries them). A layer that draws anything else (a pattern, a
gradient, a transparency group…) has its laid-out page painted into each PDF instead, as
WeasyPrint paints any page: only its layout is saved.
"""

import copy
import re
import threading
from collections import OrderedDict
from hashlib import md5

_local = threading.local()

#: Layers kept per thread (a certificate's: one per design, issuer and language).
KEEP = 64

#: The images a layer's HTML names (their content is part of its key).
_IMAGE_URL = re.compile(r"trainer:image/([^\"'\s)]+)")


class Layer:
    """One static layer, laid out: ``page`` (WeasyPrint's) and, when it could be recorded, its
    drawing at the PDF's scale (``recorded``)."""

    def __init__(self, document):
        if len(document.pages) != 1:
            raise ValueError(f"a static layer is one page, not {len(document.pages)}")
        self.document = document  # keeps the page's fonts and layouts alive
        self.page = document.pages[0]
        if self.page.links or self.page.anchors or self.page.bookmarks:
            raise ValueError("a static layer has no links, anchors or bookmarks: they are lost")
        self.recorded = _record(self.page)

    def paint(self, stream, scale):
        """Paint the layer into ``stream`` (a page's, before the page's own boxes)."""
        if self.recorded is None or scale != _SCALE:
            self.page.paint(stream, scale)
            return
        ops, fonts, states, images = self.recorded
        for key, font in fonts.items():
            mine = stream._fonts.get(key)
            if mine is None:
                stream._fonts[key] = _font_copy(font)
            else:
                for glyph, width in font.widths.items():
                    mine.widths.setdefault(glyph, width)
                for glyph, text in font.to_unicode.items():
                    mine.to_unicode.setdefault(glyph, text)
        for name, state in states.items():
            stream._resources["ExtGState"].setdefault(name, copy.copy(state))
        for image, interpolate, ratios in images:
            for ratio in ratios:
                stream.add_image(image, interpolate, ratio)
        stream.stream.extend(ops)


#: The scale WeasyPrint writes PDFs at (72 points an inch over 96 CSS pixels, zoom 1).
_SCALE = 0.75

#: Resources a recorded drawing may name: anything else and the page is painted each time.
_RECORDABLE = {"ExtGState", "XObject", "ColorSpace"}


def _record(page):
    """``(operators, {font key: Font}, {name: opacity state}, [(image, interpolate, ratios)])``
    of ``page`` painted at the PDF's scale, or None when it draws something else."""
    import pydyf
    from weasyprint.pdf.stream import Stream

    resources = pydyf.Dictionary(
        {
            "ExtGState": pydyf.Dictionary(),
            "XObject": pydyf.Dictionary(),
            "Pattern": pydyf.Dictionary(),
            "Shading": pydyf.Dictionary(),
            "ColorSpace": None,
        }
    )
    fonts, images = {}, {}
    stream = Stream(fonts, (0, 0, page.width, page.height), resources, images, None, {}, None)
    page.paint(stream, _SCALE)
    used = {kind for kind, value in resources.items() if value}
    if used - _RECORDABLE or set(resources["XObject"]) != set(images):  # groups, patterns…
        return None
    if any(font.used_in_forms or font.missing for font in fonts.values()):
        return None
    recorded_images = [
        (entry["image"], entry["interpolate"], sorted(entry["dpi_ratios"]))
        for entry in images.values()
    ]
    return list(stream.stream), fonts, dict(resources["ExtGState"]), recorded_images


def _font_copy(font):
    """A copy of a recorded ``Font`` for one PDF: its own glyphs (widths, text) and file."""
    mine = copy.copy(font)
    mine.widths, mine.to_unicode, mine.missing = (
        dict(font.widths),
        dict(font.to_unicode),
        dict(font.missing),
    )
    return mine


def layer(html, key, make):
    """The ``Layer`` of ``html`` for documents rendered alike (``key``: their stylesheets,
    images…), laid out by ``make(html)`` (a WeasyPrint ``Document``) the first time."""
    kept = getattr(_local, "layers", None)
    if kept is None:
        kept = _local.layers = OrderedDict()
    full_key = (html, key)
    if full_key in kept:
        kept.move_to_end(full_key)
        return kept[full_key]
    made = kept[full_key] = Layer(make(html))
    while len(kept) > KEEP:
        kept.popitem(last=False)
    return made


def image_key(html, images, vectors):
    """What of ``images`` and ``vectors`` the HTML ``html`` names, as a key: their names and
    digests."""
    digests = []
    for name in sorted(set(_IMAGE_URL.findall(html))):
        if name in (vectors or {}):  # drawn once (``vector``), an image otherwise: not alike
            kind, data = "vector", vectors[name].encode()
        elif name in (images or {}):
            kind, data = "image", images[name][0]
        else:
            continue
        digests.append((kind, name, md5(data, usedforsecurity=False).hexdigest()))
    return tuple(digests)


def layered(document, layers):
    """Paint each of ``document``'s pages over its ``Layer`` (``layers``: one per page, or
    None for a page without)."""
    for page, static in zip(document.pages, layers, strict=True):
        if static is not None:
            page.paint = _painter(page.paint, static)
    return document


def _painter(paint, static):
    def paint_layered(stream, scale=1):
        static.paint(stream, scale)
        paint(stream, scale)

    return paint_layered


def drop():
    """Forget this thread's layers (their WeasyPrint objects hold the font configuration)."""
    _local.layers = None
