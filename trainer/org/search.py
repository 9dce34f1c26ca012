"""Suggestions for the unit and staff pickers: a few units or people whose name (accents and
case ignored) or code matches what was typed, each with where it sits in the tree.

The query is bounded (``PICK_QUERY``) and so are the answers (``PICK_LIMIT``). Staff are found
through the word index of the staff list's search; units (about a thousand in a province) are
read in one query over the few columns needed, narrowed in SQL by scope and validity, and
matched on their folded names here: the folding (đ → d, marks dropped) is the same
``fold`` that makes the staff search accent-insensitive."""

from functools import lru_cache

from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..values import Limit
from .models import OrgUnit, Staff
from .periods import covers
from .services import key_words, search_condition, staff_query
from .text import fold, hidden_characters

PICK_LIMIT = 20
PICK_QUERY = Limit(1, 100)  # characters of the typed text
PATH_SEPARATOR = " › "


class BadQuery(ValueError):
    """The typed text cannot be searched: empty, too long or holding hidden characters."""


def check_query(text):
    """The typed text, stripped; ``BadQuery`` when it is empty, too long or disguised."""
    text = (text or "").strip()
    if not PICK_QUERY.minimum <= len(text) <= PICK_QUERY.maximum:
        raise BadQuery(text)
    if hidden_characters(text):
        raise BadQuery(text)
    return text


@lru_cache(maxsize=8192)
def _folded(name):
    """(folded name, its words) of a unit's name: kept, as names rarely change and a
    province has about a thousand, so a search does not fold them all again."""
    folded = fold(name)
    return folded, tuple(key_words(folded))


@lru_cache(maxsize=8192)
def _code_key(text):
    """A code as typed, compared without case, spaces or dashes: "huoimi" finds
    ``DB-DBD-HUOIMI-THCS``."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _unit_rank(unit, words, code_key):
    """Where a unit stands among the matches (lower first), or None when it does not match."""
    code = _code_key(unit.code)
    folded, name_words = _folded(unit.name)
    by_name = bool(words) and all(
        any(word.startswith(typed) for word in name_words) for typed in words
    )
    by_code = bool(code_key) and code_key in code
    if not (by_name or by_code):
        return None
    exact = 0 if code == code_key else 1
    return (exact, unit.depth, folded, unit.code)


def search_units(unit_condition, text, day, limit=PICK_LIMIT):
    """``(units, more)``: at most ``limit`` units in force on ``day`` that satisfy
    ``unit_condition`` (the user's scope) and whose name holds every typed word at a word's
    start, or whose code holds the typed code; ``more`` when others matched too."""
    words = key_words(fold(text))
    code_key = _code_key(text)
    if not (words or code_key):  # punctuation only: nothing to look for
        return [], False
    rows = db.session.execute(
        select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.path, OrgUnit.depth).where(
            unit_condition, covers(OrgUnit, day)
        )
    ).all()
    ranked = sorted(
        (rank, row) for row in rows if (rank := _unit_rank(row, words, code_key)) is not None
    )
    return [row for _rank, row in ranked[:limit]], len(ranked) > limit


def unit_paths(units):
    """{unit id: "Tỉnh Điện Biên › Huyện … › the unit"}: each unit's names from the root
    down, in one query for all their ancestors."""
    ids = {int(part) for unit in units for part in unit.path.strip("/").split("/") if part}
    names = dict(
        db.session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(ids))).all()
    )
    return {
        unit.id: PATH_SEPARATOR.join(
            names[int(part)]
            for part in unit.path.strip("/").split("/")
            if part and int(part) in names
        )
        for unit in units
    }


def search_staff(scope, text, limit=PICK_LIMIT):
    """``(staff, more)``: at most ``limit`` people in ``scope`` whose name holds every typed
    word at a word's start (accents ignored) or whose staff code begins with the text; active
    people first, then in the staff list's order."""
    if search_condition(text) is None:  # nothing searchable (punctuation only): no suggestion
        return [], False
    stmt = (
        staff_query(scope, q=text)
        .order_by(None)
        .order_by(case((Staff.status == "active", 0), else_=1), Staff.sort_key, Staff.staff_code)
        .options(joinedload(Staff.org_unit))
        .limit(limit + 1)
    )
    found = list(db.session.scalars(stmt))
    return found[:limit], len(found) > limit
