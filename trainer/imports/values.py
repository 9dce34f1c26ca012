"""Parsing of spreadsheet values: dates, numbers, Vietnamese labels for codes."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from ..bounds import FIRST_DAY, LAST_DAY
from ..org.attributes import ETHNICITY_ALIASES, SCHOOL_LEVEL_ALIASES, fold_label
from ..org.text import HiddenCharacters, clean_text, fold


class BadValue(ValueError):
    """A cell's value is unusable; the message is the reason in plain words."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


_SERIAL = re.compile(r"^\d{5}(\.0+)?$")
# Excel counts days from 30/12/1899 (it keeps the 1900 leap-year bug, so this base is exact
# for every date after February 1900).
_EXCEL_EPOCH = date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_text(value, limit=255):
    """A name, title or reason: NFC, spaces collapsed, no hidden characters, at most ``limit``."""
    try:
        text = clean_text(value)
    except HiddenCharacters as exc:
        raise BadValue(
            _l(
                "invisible or control characters (%(chars)s): type the text again without them",
                chars=", ".join(exc.codes),
            )
        ) from None
    if len(text) > limit:
        raise BadValue(_l("too long (at most %(n)d characters)", n=limit))
    return text


def parse_date(value):
    """A date from a date cell, "YYYY-MM-DD", "DD/MM/YYYY" or an Excel serial number (a date
    cell formatted as a number: 33239 is 01/01/1991); BadValue otherwise."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return within_bounds(value)
    text = str(value).strip()
    if _SERIAL.match(text):  # five digits: 1927 to 2173
        return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    match = _ISO.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _DMY.match(text)
        if not match:
            raise BadValue(_l("not a date: write it as DD/MM/YYYY or YYYY-MM-DD"))
        day, month, year = (int(part) for part in match.groups())
    try:
        found = date(year, month, day)
    except ValueError:
        raise BadValue(_l("impossible date %(value)s", value=text)) from None
    return within_bounds(found)


def within_bounds(day):
    """``day`` when it lies from 1900 to 2100 (``trainer.bounds``), else BadValue."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadValue(
            _l(
                "the date must be from %(first)s to %(last)s",
                first=FIRST_DAY.strftime("%d/%m/%Y"),
                last=LAST_DAY.strftime("%d/%m/%Y"),
            )
        )
    return day


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


def parse_yes_no(value):
    """True for yes/có/x/1, False for no/không/0."""
    if isinstance(value, bool):
        return value
    return lookup(value, YES_NO_ALIASES, _l("write yes or no (có, không)"))


def parse_school_level(value):
    """A SchoolLevel code from its code or a Vietnamese label ("Tiểu học", "THCS" …)."""
    key = fold_label(value)
    if key in SCHOOL_LEVEL_ALIASES:
        return SCHOOL_LEVEL_ALIASES[key]
    raise BadValue(
        _l(
            "unknown school level: use mam_non, tieu_hoc, thcs, thpt, lien_cap, gdtx "
            "or other (Mầm non, Tiểu học, THCS, THPT, Liên cấp, GDTX, Khác)"
        )
    )


def parse_ethnicity(value):
    """The Vietnamese name of one of the 54 ethnic groups ("Thái", "Mông", "Kinh" …)."""
    key = fold_label(value)
    for prefix in ("dan toc ", "dt "):  # "Dân tộc Thái"
        if key.startswith(prefix) and key[len(prefix) :] in ETHNICITY_ALIASES:
            key = key[len(prefix) :]
    if key in ETHNICITY_ALIASES:
        return ETHNICITY_ALIASES[key]
    raise BadValue(
        _l(
            "unknown ethnic group %(value)s: use Kinh or the Vietnamese name of one "
            "of the 54 ethnic groups (Thái, Mông, Khơ Mú, Dao …)",
            value=value,
        )
    )


_MOET_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$")


def parse_moet_id(value):
    """A national identifier of the Ministry's database: letters and digits, at most 32."""
    text = str(value).strip()
    if not _MOET_ID.match(text):
        raise BadValue(
            _l("a national identifier uses letters without accents, digits, - and . (at most 32)")
        )
    return text


YES_NO_ALIASES = {
    "yes": True,
    "y": True,
    "co": True,
    "x": True,
    "1": True,
    "true": True,
    "dbkk": True,
    "no": False,
    "n": False,
    "khong": False,
    "0": False,
    "false": False,
}
POSITION_ALIASES = {
    "teacher": "teacher",
    "giao vien": "teacher",
    "gv": "teacher",
    "it_teacher": "it_teacher",
    "it teacher": "it_teacher",
    "giao vien tin hoc": "it_teacher",
    "gv tin hoc": "it_teacher",
    "manager": "manager",
    "can bo quan ly": "manager",
    "cbql": "manager",
    "quan ly": "manager",
    "staff": "staff",
    "nhan vien": "staff",
}
GENDER_ALIASES = {
    "male": "male",
    "m": "male",
    "nam": "male",
    "female": "female",
    "f": "female",
    "nu": "female",
    "other": "other",
    "khac": "other",
}
STATUS_ALIASES = {
    "active": "active",
    "dang cong tac": "active",
    "dang lam viec": "active",
    "inactive": "inactive",
    "nghi viec": "inactive",
    "da nghi": "inactive",
    "nghi huu": "inactive",
    "da nghi huu": "inactive",
    "chuyen cong tac": "inactive",
    "thoi viec": "inactive",
    "da chuyen di": "inactive",
    "dang lam viec tai don vi": "active",
    "dang hoat dong": "active",
}
KIND_ALIASES = {
    "province": "province",
    "tinh": "province",
    "district": "district",
    "huyen": "district",
    "thanh pho": "district",
    "thi xa": "district",
    "commune": "commune",
    "xa": "commune",
    "phuong": "commune",
    "thi tran": "commune",
    "school": "school",
    "truong": "school",
    "department": "department",
    "phong": "department",
    "so": "department",
    "other": "other",
    "khac": "other",
}
