"""Year on year: a breakdown beside the same date a year earlier (issue 19, item 2).

Last year's figures are counted either by the structure of that date (the breakdown as it
stood then) or by the structure of the date asked about: last year's staff at their unit's
heir on the later date (the unit itself, or its successor when it has closed since), with
that unit's attributes and child on the later date. SQL counts per unit and staff attribute;
Python only maps the few hundred units to their heirs, as ``coverage_by_structure_of`` does.
"""

from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select

from ..errors import Common, InvalidInput
from ..extensions import db
from ..org.models import OrgUnit
from ..org.periods import OrgUnitPath
from .breakdown import (
    STAFF_DIMENSIONS,
    Dimension,
    cell_order,
    counts_by_unit,
    coverage_breakdown,
    fold,
    unit_attributes,
)
from .cache import cached
from .services import NotInForce, last_year, percent_of


class Structure(StrEnum):
    """Whose structure last year's figures are counted in."""

    DATE = "date"  # the structure of last year's date
    TODAY = "today"  # the structure of the date asked about


FIGURES = ("staff_total", "certified", "percent")


def parse_structure(value):
    """``compare`` of a request: None (no comparison), or a ``Structure``; else InvalidInput."""
    if not value:
        return None
    if value not in set(Structure):
        raise InvalidInput(Common.UNKNOWN_VALUE, field="compare", allowed=list(Structure))
    return Structure(value)


def heirs_on(day):
    """{unit id: the id of the unit in force on ``day`` that stands for it} (itself, else the
    end of its chain of successors; None when the chain ends nowhere)."""
    in_force = set(db.session.scalars(select(OrgUnitPath.org_unit_id).where(OrgUnitPath.on(day))))
    units = dict(db.session.execute(select(OrgUnit.id, OrgUnit.successor_code)).all())
    id_of = dict(db.session.execute(select(OrgUnit.code, OrgUnit.id)).all())
    result = {}
    for uid in units:
        current = uid
        for _ in range(len(units)):  # a cycle of successors ends nowhere
            if current is None or current in in_force:
                break
            current = id_of.get(units[current])
        result[uid] = current if current in in_force else None
    return result


def breakdown_by_structure_of(unit, level, then, now, by):
    """Breakdown rows of ``then`` counted in the structure of ``now`` (see the module)."""
    if not unit.in_force(now):
        raise NotInForce(unit)
    dimensions = [Dimension(d) for d in by]
    personal = [d for d in dimensions if d in STAFF_DIMENSIONS]
    attributes, heirs = unit_attributes(unit, now), heirs_on(now)
    rows = counts_by_unit(level, then, personal)
    return fold(rows, dimensions, lambda uid: attributes.get(heirs.get(uid)))


def cached_breakdown(unit, level, as_of, by):
    """``coverage_breakdown`` through the data-versioned cache."""
    by = tuple(Dimension(d).value for d in by)
    return cached(
        ("breakdown", unit.id, level.id, as_of, by),
        lambda: coverage_breakdown(unit, level, as_of, by),
    )


def change(now, then):
    """``now − then`` in points to one decimal; None when either is unknown."""
    if now is None or then is None:
        return None
    return float(Decimal(str(now)) - Decimal(str(then)))


def last_year_rows(unit, level, as_of, by, structure):
    """(last year's date, its rows, or None when ``unit`` was not in force then)."""
    then = last_year(as_of)
    try:
        if structure is Structure.TODAY:
            rows = cached(
                ("breakdown-as-of", unit.id, level.id, then, as_of, tuple(by)),
                lambda: breakdown_by_structure_of(unit, level, then, as_of, by),
            )
        else:
            rows = cached_breakdown(unit, level, then, by)
    except NotInForce:
        return then, None
    return then, rows


def year_on_year(unit, level, as_of, by, structure=Structure.DATE):
    """(last year's date, rows): every cell of this date's and last year's breakdowns, with
    ``last_year_staff_total``, ``last_year_certified``, ``last_year_percent`` beside this
    year's figures and ``change`` (points). A cell only one year has counts 0 in the other."""
    by = [Dimension(d).value for d in by]
    current = cached_breakdown(unit, level, as_of, by)
    then, previous = last_year_rows(unit, level, as_of, by, Structure(structure))
    merged = {}
    for index, rows in enumerate((current, previous or [])):
        for row in rows:
            key = tuple(row[d] for d in by)
            cell = merged.setdefault(key, dict(zip(by, key, strict=True)) | blank())
            prefix = "" if index == 0 else "last_year_"
            for figure in FIGURES:
                cell[prefix + figure] = row[figure]
    result = sorted(merged.values(), key=lambda r: [cell_order(r[d]) for d in by])
    for row in result:
        row["change"] = change(row["percent"], row["last_year_percent"])
    return then, result


def blank():
    return {
        "staff_total": 0,
        "certified": 0,
        "percent": None,
        "last_year_staff_total": 0,
        "last_year_certified": 0,
        "last_year_percent": None,
    }


def totals(rows, prefix=""):
    """(staff, certified, percent) over ``rows``' figures of this year or, with ``prefix``
    ``last_year_``, of last year."""
    total = sum(r[prefix + "staff_total"] for r in rows)
    certified = sum(r[prefix + "certified"] for r in rows)
    return total, certified, percent_of(certified, total)
