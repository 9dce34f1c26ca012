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


# Characters nobody types in a name, title or reason and nobody sees: control characters
# (C0, DEL, C1), zero-width characters and the bidirectional marks, embeddings, overrides and
# isolates. They disguise text ("\x01=HYPERLINK(…)" is not a formula until the \x01 goes;
# U+202E shows "gpj.exe" as "exe.jpg"), so they are refused at input, not silently kept.
HIDDEN_CHARACTERS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


class HiddenCharacters(ValueError):
    """The text holds characters from ``HIDDEN_CHARACTERS``; ``codes`` names them (U+XXXX)."""

    def __init__(self, codes):
        super().__init__(", ".join(codes))
        self.codes = codes


def hidden_characters(value):
    """The distinct hidden characters of ``value`` as ``U+XXXX`` names, in order of appearance."""
    found = dict.fromkeys(f"U+{ord(ch):04X}" for ch in HIDDEN_CHARACTERS.findall(value or ""))
    return list(found)


def clean_text(value):
    """A name, title or reason as stored: ``clean_name`` (white space, tabs and line breaks
    become single spaces), and ``HiddenCharacters`` if any invisible character remains."""
    text = clean_name(value)
    found = hidden_characters(text)
    if found:
        raise HiddenCharacters(found)
    return text


def strip_hidden(value, keep=""):
    """``value`` without hidden characters other than those in ``keep`` (for output of data
    stored before these were refused)."""
    return HIDDEN_CHARACTERS.sub(lambda m: m.group() if m.group() in keep else "", value)
