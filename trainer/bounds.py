"""Bounded reading of dates, date-times and page numbers, the same for pages, forms, API
and imports: edge input (``0001-01-01``, ``9999-12-31``, a page number beyond 64 bits)
answers 400 or a form error with a clear message, never a 500 from date arithmetic or the
database driver."""

import re
from datetime import UTC, date, datetime

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from .errors import Common, InvalidInput
from .values import Limit

#: The dates anybody may give: a birth date, a certificate's issue date, a session's day.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
#: Page numbers of every paged list (pages and API).
PAGE = Limit(1, 1_000_000)
#: Levels of arrays and objects in a JSON body (the deepest the API reads is 3).
JSON_DEPTH = 20
_SURROGATES = re.compile("[\ud800-\udfff]")
#: A date as people here write it: day/month/year (or with "-" or "."), e.g. 30/11/2026.
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
#: The same, and ISO, for a browser's ``pattern`` attribute (what a form field accepts).
DATE_PATTERN = r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{4}-\d{2}-\d{2})\s*"


class BadParameter(InvalidInput):
    """A query-string parameter is malformed or out of range (a page answers 400 with it)."""


def _out_of_range(field, error):
    return error(
        Common.OUT_OF_RANGE,
        field=field,
        minimum=FIRST_DAY.isoformat(),
        maximum=LAST_DAY.isoformat(),
    )


def check_date(day, field, error=InvalidInput):
    """``day`` when it lies from 1900-01-01 to 2100-12-31, else ``error`` (OUT_OF_RANGE)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _out_of_range(field, error)
    return day


def parse_date(text, field, error=InvalidInput):
    """The date ``YYYY-MM-DD`` in ``text``, within the bounds; ``error`` (BAD_DATE or
    OUT_OF_RANGE) naming ``field`` otherwise."""
    try:
        day = date.fromisoformat(str(text).strip())
    except ValueError:
        raise error(Common.BAD_DATE, field=field) from None
    return check_date(day, field, error)


def read_day(text):
    """The date in ``text``, written ``dd/mm/yyyy`` (pages) or ``YYYY-MM-DD`` (links, the
    API), spaces ignored; ValueError otherwise."""
    text = re.sub(r"\s+", "", str(text))
    found = _DAY_MONTH_YEAR.fullmatch(text)
    if found:
        day, month, year = (int(part) for part in found.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


def parse_day(text, field, error=InvalidInput):
    """Like ``parse_date``, also reading ``dd/mm/yyyy``: for query strings that a page's
    date field fills."""
    try:
        day = read_day(text)
    except ValueError:
        raise error(Common.BAD_DATE, field=field) from None
    return check_date(day, field, error)


def check_datetime(moment, field, error=InvalidInput):
    """An aware ``moment`` whose UTC date lies within the bounds, else ``error``."""
    if not FIRST_DAY <= moment.astimezone(UTC).date() <= LAST_DAY:
        raise _out_of_range(field, error)
    return moment


def parse_datetime(text, field, default_zone=None, error=InvalidInput):
    """An ISO 8601 date-time (a naive one is read in ``default_zone``; without one it is
    refused), within the bounds; ``error`` (BAD_DATETIME or OUT_OF_RANGE) otherwise."""
    try:
        moment = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise error(Common.BAD_DATETIME, field=field) from None
    if moment.tzinfo is None:
        if default_zone is None:
            raise error(Common.BAD_DATETIME, field=field)
        moment = moment.replace(tzinfo=default_zone)
    if not FIRST_DAY <= moment.date() <= LAST_DAY:  # before astimezone, which may overflow
        raise _out_of_range(field, error)
    return check_datetime(moment, field, error)


def date_arg(name, default=None, iso_only=False):
    """The query-string date ``name`` (``default`` when absent or empty), or BadParameter:
    ``dd/mm/yyyy`` or ISO on pages, ISO only with ``iso_only`` (the JSON API's contract)."""
    text = request.args.get(name, "")
    if not text.strip():
        return default
    return (parse_date if iso_only else parse_day)(text, name, BadParameter)


def _bad_day_message():
    return _l("Not a valid date: write it as dd/mm/yyyy.")


def _day_range_message():
    return _l(
        "The date must be from %(first)s to %(last)s.",
        first=FIRST_DAY.strftime("%d/%m/%Y"),
        last=LAST_DAY.strftime("%d/%m/%Y"),
    )


def day_arg_or_error(name, default=None):
    """For a page's own date field: ``(day, None)``, or ``(default, error)`` when the query
    string's ``name`` is not a date (dd/mm/yyyy or ISO) from 1900 to 2100, the error worded
    as the date fields word it, so that the page can show it at its field (and answer 400)
    instead of a bare error page naming the parameter."""
    text = request.args.get(name, "")
    if not text.strip():
        return default, None
    try:
        day = read_day(text)
    except ValueError:
        return default, str(_bad_day_message())
    if not FIRST_DAY <= day <= LAST_DAY:
        return default, str(_day_range_message())
    return day, None


def check_page(page, field="page"):
    """``page`` when it is a page number (1 to 1,000,000), else BadParameter."""
    if not PAGE.minimum <= page <= PAGE.maximum:
        raise BadParameter(
            Common.OUT_OF_RANGE, field=field, minimum=PAGE.minimum, maximum=PAGE.maximum
        )
    return page


def page_arg(name="page"):
    """The query string's page number (1 when absent), or BadParameter."""
    text = request.args.get(name, "").strip()
    if not text:
        return 1
    if not text.isdigit() or len(text) > 7:  # "1e9", "-1", a number beyond 64 bits
        if text.lstrip("-").isdigit():
            raise BadParameter(
                Common.OUT_OF_RANGE, field=name, minimum=PAGE.minimum, maximum=PAGE.maximum
            )
        raise BadParameter(Common.WRONG_TYPE, field=name, expected="integer")
    return check_page(int(text), name)


class BoundedDateField(DateField):
    """A form's date from 1900-01-01 to 2100-12-31: anything else is the field's error (and
    the form does not validate), so no view computes with year 1 or 9999.

    Shown as ``dd/mm/yyyy`` whatever the browser's language (a text field with the numeric
    keyboard, not ``type=date``, whose format follows the browser); read as ``dd/mm/yyyy``
    or ISO ``YYYY-MM-DD`` (links, older bookmarks, scripts)."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, render_kw=None, **kwargs):
        shown = {
            "inputmode": "numeric",
            "placeholder": _l("dd/mm/yyyy"),
            "pattern": DATE_PATTERN,
            "title": _l("A date as dd/mm/yyyy, e.g. 30/11/2026"),
            "autocomplete": "off",
            "class": "date",
        }
        super().__init__(label, validators, render_kw=shown | (render_kw or {}), **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = read_day(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(_bad_day_message()) from None

    def _value(self):
        if self.data is not None:
            return self.data.strftime("%d/%m/%Y")
        return " ".join(self.raw_data) if self.raw_data else ""  # kept as typed, to correct

    def pre_validate(self, form):
        if self.process_errors:  # not a date: say so, not "required" (the chain would)
            raise StopValidation()
        if self.data is not None and not FIRST_DAY <= self.data <= LAST_DAY:
            raise StopValidation(_day_range_message())


def json_request():
    """The request's JSON body, ``None`` when it is not JSON; InvalidInput when it nests
    deeper than ``JSON_DEPTH`` or holds a lone surrogate (``"\\ud800"``, which no database
    column can store)."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise InvalidInput(Common.TOO_DEEP, maximum=JSON_DEPTH) from None
    check_json(body)
    return body


def check_json(value):
    """InvalidInput unless ``value`` nests at most ``JSON_DEPTH`` deep and every key and
    string is proper Unicode (walked without recursion)."""
    pending = [(value, 0, "body")]
    while pending:
        item, depth, field = pending.pop()
        if isinstance(item, str):
            if _SURROGATES.search(item):
                raise InvalidInput(Common.HIDDEN_CHARACTERS, field=field)
        elif isinstance(item, (dict, list)):
            if depth >= JSON_DEPTH:
                raise InvalidInput(Common.TOO_DEEP, maximum=JSON_DEPTH)
            if isinstance(item, dict):
                for key, child in item.items():
                    name = key if depth == 0 else field
                    if _SURROGATES.search(key):
                        raise InvalidInput(Common.HIDDEN_CHARACTERS, field=field)
                    pending.append((child, depth + 1, name))
            else:
                pending.extend((child, depth + 1, field) for child in item)
