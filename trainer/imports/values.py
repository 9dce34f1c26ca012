"""Parsing of spreadsheet values: dates, numbers, Vietnamese labels for codes."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from ..org.text import HiddenCharacters, clean_text, fold


class BadValue(ValueError):
    """A cell's value is unusable; the message is the reason in plain words."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_text(value, limit=255):
    """A name, title or reason: NFC, spaces collapsed, no hidden characters, at most ``limit``."""
    try:
        text = clean_text(value)
    except HiddenCharacters as exc:
        raise BadValue(_l("invisible or control characters (%(chars)s): type the text again "
                          "without them", chars=", ".join(exc.codes))) from None
    if len(text) > limit:
        raise BadValue(_l("too long (at most %(n)d characters)", n=limit))
    return text


def parse_date(value):
    """A date from a date cell, "YYYY-MM-DD" or "DD/MM/YYYY"; BadValue otherwise."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _ISO.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _DMY.match(text)
        if not match:
            raise BadValue(_l("not a date: write it as DD/MM/YYYY or YYYY-MM-DD"))
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise BadValue(_l("impossible date %(value)s", value=text)) from None


def parse_decimal(value):
    """A number, accepting a decimal comma and a trailing %; BadValue otherwise."""
    text = str(value).strip().rstrip("%").strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadValue(_l("not a number")) from None
    if not number.is_finite():
        raise BadValue(_l("not a number"))
    return number


def lookup(value, aliases, reason):
    """The code that ``value`` names in ``aliases`` (folded keys), or BadValue(reason)."""
    key = fold(value)
    if key in aliases:
        return aliases[key]
    raise BadValue(reason)


POSITION_ALIASES = {
    "teacher": "teacher", "giao vien": "teacher", "gv": "teacher",
    "it_teacher": "it_teacher", "it teacher": "it_teacher", "giao vien tin hoc": "it_teacher",
    "gv tin hoc": "it_teacher",
    "manager": "manager", "can bo quan ly": "manager", "cbql": "manager", "quan ly": "manager",
    "staff": "staff", "nhan vien": "staff",
}
GENDER_ALIASES = {
    "male": "male", "m": "male", "nam": "male",
    "female": "female", "f": "female", "nu": "female",
    "other": "other", "khac": "other",
}
STATUS_ALIASES = {
    "active": "active", "dang cong tac": "active", "dang lam viec": "active",
    "inactive": "inactive", "nghi viec": "inactive", "da nghi": "inactive", "nghi huu": "inactive",
}
KIND_ALIASES = {
    "province": "province", "tinh": "province",
    "district": "district", "huyen": "district", "thanh pho": "district", "thi xa": "district",
    "commune": "commune", "xa": "commune", "phuong": "commune", "thi tran": "commune",
    "school": "school", "truong": "school",
    "department": "department", "phong": "department", "so": "department",
    "other": "other", "khac": "other",
}
