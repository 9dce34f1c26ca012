"""Shared PDF set-up: the vendored DejaVu fonts, which cover Vietnamese, embedded as subsets."""

import unicodedata
import zlib
from functools import cache, lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

# Binary streams (no ASCII85): smaller files, less work per page.
rl_config.useA85 = 0


def _fast_flate(self, text):
    """Flate at level 1: a third of the time of the default level, files a few % larger.

    Large binary streams are font subsets, the same bytes in every certificate (see
    ``prepare_fonts``): they are compressed once."""
    if isinstance(text, bytes) and len(text) > 8192:
        return _flate_once(text)
    return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)


@lru_cache(maxsize=16)
def _flate_once(data):
    return zlib.compress(data, 1)


@lru_cache(maxsize=32)
def _subset_once(face, codes):
    return _make_subset(face, list(codes))


_make_subset = TTFontFace.makeSubset
# A subset file depends only on the face and the ordered code points; with the common
# alphabet given first (``prepare_fonts``) nearly every certificate asks for the same one.
TTFontFace.makeSubset = lambda face, subset: _subset_once(face, tuple(subset))


# ReportLab has no setting for the level; its one filter object is shared by every stream.
pdfdoc.PDFStreamFilterZCompress.encode = _fast_flate

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"

SANS, SANS_BOLD = "DejaVuSans", "DejaVuSans-Bold"
SERIF, SERIF_BOLD = "DejaVuSerif", "DejaVuSerif-Bold"


_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_LETTERS = sorted({unicodedata.normalize("NFC", vowel + tone)
                   for vowel in "aăâeêioôơuưy" for tone in _TONES} | {"đ"})
#: Printable ASCII, every Vietnamese letter in both cases, and the dashes of the headings.
COMMON_TEXT = "".join(chr(code) for code in range(32, 127)) + "".join(
    ch for ch in _LETTERS + [letter.upper() for letter in _LETTERS] if ord(ch) > 126) + "–"


def prepare_fonts(canvas, names):
    """Give the fonts ``names`` of ``canvas`` the common alphabet first, in a fixed order.

    ReportLab numbers a document's characters in the order they are first drawn, so every
    certificate (with its own name in it) would need its own subset of each font. With the
    common alphabet numbered first they share one, made and compressed once per process; a
    name with a rarer letter simply adds it. Costs a few kB per file, saves a fifth of the
    time of a certificate."""
    for name in names:
        pdfmetrics.getFont(name).splitString(COMMON_TEXT, canvas._doc)  # noqa: SLF001


@cache
def register_fonts():
    """Register the fonts once per process (parsing a TrueType file is the slow part)."""
    for name in (SANS, SANS_BOLD, SERIF, SERIF_BOLD):
        pdfmetrics.registerFont(TTFont(name, str(FONTS / f"{name}.ttf")))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    return True
