"""Coverage broken down by one or two attributes (SPEC §9 ``GET /coverage/breakdown``).

The same staff set and holder condition as ``coverage``: staff whose period on D is active in
a unit whose path on D lies under U's path on D, certified when ``holds(level, D)``. One SQL
query: the units of U's subtree on D with their resolved attributes (own ``school_level`` /
``disadvantaged``, else the nearest ancestor's on D; the child of U holding them), joined to
the staff periods and grouped by the asked dimensions. Python only orders and divides.
"""

from enum import StrEnum

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from ..errors import Common, InvalidInput
from ..extensions import db
from ..org.attributes import KINH
from ..org.models import OrgUnit, Staff, within
from ..org.periods import OrgUnitPath, OrgUnitPeriod, StaffPeriod, covers
from ..org.values import Gender
from ..timeutil import local_today
from .services import NotInForce, holds, percent_of, staff_filter


class Dimension(StrEnum):
    SCHOOL_LEVEL = "school_level"
    GENDER = "gender"
    ETHNIC_MINORITY = "ethnic_minority"
    DISADVANTAGED = "disadvantaged"
    POSITION = "position"
    CHILD = "child"


BOOLEAN_DIMENSIONS = {Dimension.ETHNIC_MINORITY, Dimension.DISADVANTAGED}
#: the dimensions read from the staff member (the others from their unit)
STAFF_DIMENSIONS = {Dimension.GENDER, Dimension.ETHNIC_MINORITY, Dimension.POSITION}


def parse_dimensions(value):
    """``"a,b"`` → [Dimension, …]: one or two known, distinct names, else ``InvalidInput``."""
    names = [part.strip() for part in (value or "").split(",") if part.strip()]
    allowed = [d.value for d in Dimension]
    if (
        not names
        or len(names) > 2
        or len(set(names)) != len(names)
        or any(name not in allowed for name in names)
    ):
        raise InvalidInput(Common.UNKNOWN_VALUE, field="by", allowed=allowed)
    return [Dimension(name) for name in names]


def _nearest(column, member, as_of):
    """Correlated subquery: ``column`` of ``member``'s nearest unit on ``as_of`` (itself or an
    ancestor, deepest first) where it is set."""
    ancestor = aliased(OrgUnitPath)
    return (
        select(column)
        .select_from(ancestor)
        .join(OrgUnit, OrgUnit.id == ancestor.org_unit_id)
        .where(ancestor.on(as_of), within(member, ancestor), column.is_not(None))
        .order_by(ancestor.depth.desc())
        .limit(1)
        .scalar_subquery()
    )


def _units(unit, as_of):
    """CTE of the units in ``unit``'s subtree on ``as_of`` with their resolved attributes."""
    root, member, child_path = aliased(OrgUnitPath), aliased(OrgUnitPath), aliased(OrgUnitPath)
    child_unit = aliased(OrgUnit)
    child_code = (
        select(child_unit.code)
        .select_from(OrgUnitPeriod)
        .join(
            child_path,
            and_(child_path.org_unit_id == OrgUnitPeriod.org_unit_id, child_path.on(as_of)),
        )
        .join(child_unit, child_unit.id == OrgUnitPeriod.org_unit_id)
        .where(
            OrgUnitPeriod.parent_id == unit.id,
            covers(OrgUnitPeriod, as_of),
            within(member, child_path),
        )
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            member.org_unit_id.label("unit_id"),
            _nearest(OrgUnit.school_level, member, as_of).label("school_level"),
            _nearest(OrgUnit.disadvantaged, member, as_of).label("disadvantaged"),
            func.coalesce(child_code, literal(unit.code)).label("child"),
        )
        .select_from(root)
        .join(member, and_(within(member, root), member.on(as_of)))
        .where(root.org_unit_id == unit.id, root.on(as_of))
        .cte("breakdown_units")
    )


def _expression(dimension, units):
    if dimension is Dimension.SCHOOL_LEVEL:
        return units.c.school_level
    if dimension is Dimension.DISADVANTAGED:
        return func.coalesce(units.c.disadvantaged, False)
    if dimension is Dimension.CHILD:
        return units.c.child
    if dimension is Dimension.POSITION:
        return StaffPeriod.position
    if dimension is Dimension.GENDER:
        return case(
            (Staff.gender.in_([Gender.MALE.value, Gender.FEMALE.value]), Staff.gender), else_=None
        )
    # ethnic minority: given and not Kinh; unknown (NULL or empty) stays NULL
    return case(
        (or_(Staff.ethnicity.is_(None), Staff.ethnicity == ""), None),
        (Staff.ethnicity == KINH, False),
        else_=True,
    )


def staff_dimension(dimension):
    """SQL expression of a staff dimension (on ``Staff`` and ``StaffPeriod``)."""
    return _expression(dimension, None)


def subtree_units(unit, as_of):
    """CTE (unit_id, school_level, disadvantaged, child) of ``unit``'s subtree on ``as_of``."""
    return _units(unit, as_of)


def unit_attributes(unit, as_of):
    """{unit id: {"school_level", "disadvantaged", "child"}} of the units in ``unit``'s subtree
    on ``as_of``, resolved as the breakdown resolves them."""
    units = _units(unit, as_of)
    return {
        row.unit_id: {
            "school_level": row.school_level,
            "disadvantaged": bool(row.disadvantaged),
            "child": row.child,
        }
        for row in db.session.execute(select(units))
    }


def cell_value(dimension, value):
    """A grouped value as the API gives it (booleans as booleans)."""
    return _value(dimension, value)


def cell_order(value):
    """Sort key of one cell value: unknown last."""
    return _order(value)


def _value(dimension, value):
    if value is None:
        return None
    return bool(value) if dimension in BOOLEAN_DIMENSIONS else value


def _order(value):
    return (value is None, str(value))


def coverage_breakdown(unit, level, as_of=None, by=("school_level",)):
    """[{dim: value, …, staff_total, certified, percent}] for ``unit``, ``level`` on ``as_of``
    grouped by the dimensions ``by`` (one or two); ``NotInForce`` when the unit did not exist
    then. Cells without staff are left out; their totals add up to ``coverage``'s."""
    as_of = as_of or local_today()
    if not unit.in_force(as_of):
        raise NotInForce(unit)
    dimensions = [Dimension(d) for d in by]
    units = _units(unit, as_of)
    # grouped outside a subquery: PostgreSQL would not match GROUP BY expressions holding
    # bound parameters with the same expressions in the SELECT list
    members = (
        select(
            *(_expression(d, units).label(d.value) for d in dimensions),
            case((holds(level, as_of), 1), else_=0).label("held"),
        )
        .select_from(units)
        .join(
            StaffPeriod, and_(StaffPeriod.org_unit_id == units.c.unit_id, staff_filter(None, as_of))
        )
        .join(Staff, Staff.id == StaffPeriod.staff_id)
        .subquery("members")
    )
    columns = [members.c[d.value] for d in dimensions]
    stmt = select(*columns, func.count(), func.coalesce(func.sum(members.c.held), 0)).group_by(
        *columns
    )
    rows = []
    for row in db.session.execute(stmt):
        cell = {d.value: _value(d, row[i]) for i, d in enumerate(dimensions)}
        total, certified = int(row[-2]), int(row[-1])
        rows.append(
            cell
            | {
                "staff_total": total,
                "certified": certified,
                "percent": percent_of(certified, total),
            }
        )
    rows.sort(key=lambda r: [_order(r[d.value]) for d in dimensions])
    return rows
