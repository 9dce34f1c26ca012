"""Vietnamese-aware text helpers: NFC names and accent-folded search keys."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Decomposition strips the tone and vowel marks but leaves đ/Đ alone: they are letters of their own.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def clean_name(value):
    """Return ``value`` as NFC with runs of white space collapsed to one space."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold(value):
    """Return the accent-insensitive search key of ``value``: lower case, no marks, đ → d."""
    text = clean_name(value).translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()
