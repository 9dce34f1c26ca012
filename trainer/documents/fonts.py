"""The vendored DejaVu fonts, subset once per process to the Latin and Vietnamese repertoire.

WeasyPrint would otherwise load the whole TrueType files (hundreds of kB, thousands of glyphs,
large layout tables) for every document. From these small subsets without layout tables
(Vietnamese is stored NFC: precomposed letters need no mark positioning) WeasyPrint keeps,
with HarfBuzz, the glyphs each PDF uses; the same page gives the same bytes, so a stored
certificate and a re-rendered one are alike.
"""

import io
import threading
from functools import cache
from pathlib import Path

FONTS = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"
#: The subsets, made by ``python -m trainer.documents.fonts`` and vendored with the fonts.
SUBSETS = FONTS / "subset"

#: (CSS family, weight, file) of every face the document templates use.
FACES = (
    ("Trainer Serif", "normal", "DejaVuSerif.ttf"),
    ("Trainer Serif", "bold", "DejaVuSerif-Bold.ttf"),
    ("Trainer Sans", "normal", "DejaVuSans.ttf"),
    ("Trainer Sans", "bold", "DejaVuSans-Bold.ttf"),
)

#: Printable ASCII, Latin-1, Latin Extended-A (other Latin names), the Vietnamese letters of
#: Latin Extended Additional, combining marks (a name typed decomposed), and the punctuation
#: and symbols the templates print.
REPERTOIRE = sorted(
    set(range(0x20, 0x7F))
    | set(range(0xA0, 0x180))
    | {0x1A0, 0x1A1, 0x1AF, 0x1B0}
    | set(range(0x1EA0, 0x1EFA))
    | set(range(0x300, 0x310))
    | {0x323}
    | set(range(0x2010, 0x2027))
    | {0x2030, 0x2039, 0x203A, 0x20AB, 0x20AC, 0x2116, 0x2122}
    | {0x2190, 0x2192, 0x2212, 0x25CF, 0x2713}
)

_lock = threading.Lock()


def face_file(name):
    """The path of a vendored font file, or None if ``name`` is not one of ours."""
    for _family, _weight, file in FACES:
        if file == name:
            return FONTS / file
    return None


def make_subset(name):
    """Subset the vendored font ``name`` to ``REPERTOIRE`` without layout tables (bytes)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "BASE", "JSTF", "MATH"]
    options.hinting = False
    options.name_IDs = [1, 2, 3, 4, 6]
    options.notdef_outline = True
    font = TTFont(face_file(name), lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=REPERTOIRE)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


@cache
def _subset(name):
    vendored = SUBSETS / name
    return vendored.read_bytes() if vendored.is_file() else make_subset(name)


def subset_font(name):
    """The subset bytes of the vendored font file ``name`` (read or made once per process)."""
    if face_file(name) is None:
        raise KeyError(name)
    with _lock:  # two threads would otherwise both pay for it
        return _subset(name)


def write_subsets():
    """(Re)write the vendored subsets, after a change of ``REPERTOIRE`` or of the fonts."""
    SUBSETS.mkdir(exist_ok=True)
    for _family, _weight, file in FACES:
        (SUBSETS / file).write_bytes(make_subset(file))


def font_face_css():
    """The ``@font-face`` rules of every face, pointing at the restricted fetcher."""
    return "\n".join(
        f"@font-face {{ font-family: '{family}'; font-weight: {weight}; "
        f"src: url('trainer:font/{file}'); }}"
        for family, weight, file in FACES
    )


if __name__ == "__main__":
    write_subsets()
