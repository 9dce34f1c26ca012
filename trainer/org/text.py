"""Vietnamese-aware text helpers: NFC names, accent-folded search keys, and sort keys in
Vietnamese order."""

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


# Vietnamese alphabetical order, with the letters only foreign names use in their Latin places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Diacritics that make a letter of its own (ă â ê ô ơ ư) and the tones, in dictionary order:
# none, huyền, hỏi, ngã, sắc, nặng.
_LETTER_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_BASES = {
    unicodedata.normalize("NFC", base + mark): letter
    for letter in "ăâêôơư"
    for base, mark in [tuple(unicodedata.normalize("NFD", letter))]
}
_LETTER_CODES = {letter: 20 + index for index, letter in enumerate(_ALPHABET)}
_LETTER_CODES.update({str(digit): 10 + digit for digit in range(10)})


def _letters(word):
    """``[(letter, tone)]`` of a lower-case word: ``"ấn"`` → ``[("â", 4), ("n", 0)]``."""
    result = []
    for char in word:
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        tone = 0
        for mark in decomposed[1:]:
            if mark in _LETTER_MARKS:
                base = _BASES.get(unicodedata.normalize("NFC", base + mark), base)
            tone = _TONES.get(mark, tone)
        if base in _LETTER_CODES:
            result.append((base, tone))
    return result


def name_sort_key(full_name):
    """The key that sorts names in Vietnamese order: by given name (the last word), then the
    middle names, then the family name; each word by its letters in Vietnamese alphabetical
    order (d before đ, a before ă before â), then by its tones (Anh, Ánh, Ân: all the Anh
    together before the Ánh); case ignored.

    The key is made of digits only (two per letter, ``00`` before a word's tones, one digit
    per tone, ``01`` between words), so that SQLite and PostgreSQL, whatever its collation,
    order it alike."""
    words = clean_name(full_name).lower().split(" ")
    if len(words) > 1:
        words = [words[-1], *words[1:-1], words[0]]
    keys = []
    for word in words:
        spelled = _letters(word)
        letters = "".join(f"{_LETTER_CODES[letter]:02d}" for letter, _tone in spelled)
        keys.append(letters + "00" + "".join(str(tone) for _letter, tone in spelled))
    return "01".join(keys)


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
