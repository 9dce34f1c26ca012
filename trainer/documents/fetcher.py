"""The only way WeasyPrint reaches a resource: the app's own fonts, images and design images.

Every URL a template or an uploaded SVG mentions goes through ``DocumentFetcher``. It serves
``trainer:font/<file>`` (the vendored fonts, subset), ``trainer:static/img/<file>`` (the app's
images) and ``trainer:image/<name>`` (images the caller hands over, e.g. a design's emblem
read from the database). Anything else — ``http(s):``, ``file:``, ``data:``, a path that
climbs out of the static folder — is refused: a document can neither read the server's files
nor make the server call another address.
"""

import logging
import mimetypes
from functools import cache
from pathlib import Path

from .fonts import subset_font

STATIC = Path(__file__).resolve().parent.parent.parent / "static"
STATIC_FOLDERS = ("img", "fonts")
SCHEME = "trainer:"

log = logging.getLogger(__name__)


class FetchRefused(ValueError):
    """A document asked for a URL the fetcher does not serve."""


class DocumentFetcher:
    """What a document may load; ``images`` maps a name to ``(bytes, mime type)``."""

    def __init__(self, images=None):
        self.images = dict(images or {})
        self.refused = []

    def fetch(self, url):
        """``(bytes, mime type)`` of ``url``; records and raises ``FetchRefused`` otherwise."""
        try:
            return self.resolve(url)
        except FetchRefused:
            self.refused.append(url)
            log.warning("document resource refused: %.200s", url)
            raise

    def for_weasyprint(self):
        """This fetcher in the shape WeasyPrint calls (its ``URLFetcher`` interface)."""
        return _weasyprint_adapter()(self)

    def resolve(self, url):
        """``(bytes, mime type)`` of an allowed URL; ``FetchRefused`` for any other."""
        if not url.startswith(SCHEME):
            raise FetchRefused(url)
        kind, _, name = url[len(SCHEME) :].partition("/")
        if kind == "font":
            try:
                return subset_font(name), "font/ttf"
            except KeyError:
                raise FetchRefused(url) from None
        if kind == "image" and name in self.images:
            return self.images[name]
        if kind == "static":
            path = static_file(name)
            if path is not None:
                return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "image/png"
        raise FetchRefused(url)


def static_file(name):
    """The file ``static/<name>`` if it lies inside one of the allowed folders, else None."""
    if "\\" in name or "%" in name:
        return None
    path = (STATIC / name).resolve()
    for folder in STATIC_FOLDERS:
        root = (STATIC / folder).resolve()
        if path.is_relative_to(root) and path.is_file():
            return path
    return None


@cache
def _weasyprint_adapter():
    """The adapter class, made on first use: importing WeasyPrint loads Pango."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Adapter(URLFetcher):
        def __init__(self, fetcher):
            super().__init__(allowed_protocols=("trainer",), allow_redirects=False)
            self.fetcher = fetcher

        def fetch(self, url, headers=None):
            data, mime_type = self.fetcher.fetch(url)
            return URLFetcherResponse(url, data, {"Content-Type": mime_type})

    return Adapter
