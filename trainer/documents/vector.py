"""Our own SVG images drawn by WeasyPrint once per process, then reused on every page.

WeasyPrint builds an inline ``<svg>`` (or an SVG image) into its tree of nodes and draws it in
Python on every page that shows it: for a certificate's default emblem (a circle and a star)
that was ≈ 1 ms of a page's ≈ 16. ``vector_image(svg)`` is an image WeasyPrint lays out and
draws like any other (``render_document``'s ``vectors``), whose drawing — WeasyPrint's own
operators for that SVG at that size, made once — is written into each PDF as a form XObject
and painted with one operator: the page prints exactly as with the ``<svg>`` inline.

Only for SVGs the app writes itself (e.g. ``certificates.pdf.emblem_svg``): an uploaded SVG
goes through the fetcher (``fetcher.DocumentFetcher``), as before.
"""

import zlib
from functools import cache, lru_cache
from hashlib import md5
from xml.etree.ElementTree import XML  # nosec B405: our own SVGs only (module docstring)

#: Resources an SVG's drawing may use in its form: its opacity states. Anything else (images,
#: patterns, gradients, text) and the SVG is drawn by WeasyPrint on each page, as before.
_STATES = "ExtGState"


@lru_cache(maxsize=64)
def vector_image(svg):
    """The image WeasyPrint draws ``svg`` (text of one of our SVGs) with, made once per process
    while it is among the last 64 used."""
    return _vector_image_class()(svg)


@cache
def _vector_image_class():
    import pydyf
    from weasyprint.images import SVGImage
    from weasyprint.pdf.stream import Stream

    class Form:
        """One SVG drawn at one size: its operators, deflated, and the opacity states they
        name; ``get_x_object`` is called once per PDF that shows it (a new object each time:
        a PDF numbers its objects)."""

        def __init__(self, image_id, width, height, data, states):
            self.id, self.width, self.height = image_id, width, height
            self._data, self._states = data, states

        def get_x_object(self, interpolate, dpi_ratio):
            states = pydyf.Dictionary(
                {name: pydyf.Dictionary(state) for name, state in self._states.items()}
            )
            extra = pydyf.Dictionary(
                {
                    "Type": "/XObject",
                    "Subtype": "/Form",
                    "BBox": pydyf.Array((0, 0, self.width, self.height)),
                    "Resources": pydyf.Dictionary({_STATES: states}),
                    "Filter": "/FlateDecode",
                }
            )
            return pydyf.Stream([self._data], extra)

    class VectorImage:
        """What WeasyPrint asks of an image (intrinsic size, ``draw``), for one SVG."""

        def __init__(self, svg):
            self._svg = SVGImage(XML(svg), None, None, None)
            self.id = md5(svg.encode(), usedforsecurity=False).hexdigest()[:12]
            self._forms = {}  # (width, height) → Form, or None: drawn on each page

        def get_intrinsic_size(self, image_resolution, font_size):
            return self._svg.get_intrinsic_size(image_resolution, font_size)

        def draw(self, stream, concrete_width, concrete_height, style):
            size = (concrete_width, concrete_height)
            if size not in self._forms:
                self._forms[size] = self._form(len(self._forms), *size, style)
            form = self._forms[size]
            if form is None:
                self._svg.draw(stream, concrete_width, concrete_height, style)
            else:
                stream.draw_x_object(stream.add_image(form, False, 1))

        def _form(self, index, width, height, style):
            """The operators WeasyPrint draws the SVG with at this size, as a ``Form``."""
            resources = pydyf.Dictionary(
                {
                    _STATES: pydyf.Dictionary(),
                    "XObject": pydyf.Dictionary(),
                    "Pattern": pydyf.Dictionary(),
                    "Shading": pydyf.Dictionary(),
                    "ColorSpace": pydyf.Dictionary(),
                    "Font": None,
                }
            )
            fonts, images = {}, {}
            drawn = Stream(fonts, (0, 0, width, height), resources, images, {}, {}, None)
            self._svg.draw(drawn, width, height, style)
            if fonts or images or any(resources[kind] for kind in resources if kind != _STATES):
                return None
            data = b"\n".join(
                item if isinstance(item, bytes) else str(item).encode() for item in drawn.stream
            )
            states = {name: dict(state) for name, state in resources[_STATES].items()}
            return Form(f"v{self.id}{index}", width, height, zlib.compress(data, 9), states)

    return VectorImage
