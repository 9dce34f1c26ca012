"""Coverage broken down by one or two attributes (SPEC §9 ``GET /coverage/breakdown``).

The same staff set and holder condition as ``coverage``: staff whose period on D is active in
a unit whose path on D lies under U's path on D, certified when ``holds(level, D)``. One SQL
``GROUP BY`` counts them per unit and personal attribute (gender, ethnic minority,
position); each unit's attributes (own ``school_level`` / ``disadvantaged``, else the
nearest ancestor's on D; the child of U holding it) are resolved once per unit from its path
on D, and Python adds the few hundred unit rows into the cells.

The first version joined the staff to a CTE of the units whose attributes were correlated
subqueries: SQLite inlined it and ran them per staff row (4.3 s for the province).
"""

from enum import StrEnum

from sqlalchemy import and_, case, func, or_, select

from ..errors import Common, InvalidInput
from ..extensions import db
from ..org.attributes import KINH
from ..org.models import OrgUnit, Staff, subtree_range
from ..org.periods import OrgUnitPath, StaffPeriod
from ..org.values import Gender
from ..timeutil import local_today
from .services import NotInForce, holds, path_on, percent_of, staff_filter


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


def unit_attributes(unit, as_of):
    """{unit id: {"school_level", "disadvantaged", "child"}} of the units in ``unit``'s subtree
    on ``as_of``: its own attribute, else the nearest ancestor's on ``as_of`` (read from the
    unit's path that day), and the child of ``unit`` it lies under (``unit``'s own code for
    ``unit`` itself). Two queries; Python walks the paths of the few hundred units, which is
    far cheaper than correlated subqueries per unit."""
    root = path_on(unit, as_of)
    if root is None:
        return {}
    low, high = subtree_range(root)
    paths = dict(
        db.session.execute(
            select(OrgUnitPath.org_unit_id, OrgUnitPath.path).where(
                OrgUnitPath.on(as_of), OrgUnitPath.path >= low, OrgUnitPath.path < high
            )
        ).all()
    )
    chains = {uid: [int(p) for p in path.strip("/").split("/")] for uid, path in paths.items()}
    ids = {a for chain in chains.values() for a in chain}
    own = {
        row.id: row
        for row in db.session.execute(
            select(OrgUnit.id, OrgUnit.code, OrgUnit.school_level, OrgUnit.disadvantaged).where(
                OrgUnit.id.in_(ids)
            )
        )
    }
    depth = len(root.strip("/").split("/"))

    def nearest(chain, name):
        return next((v for a in reversed(chain) if (v := getattr(own[a], name)) is not None), None)

    return {
        uid: {
            "school_level": nearest(chain, "school_level"),
            "disadvantaged": bool(nearest(chain, "disadvantaged")),
            "child": own[chain[depth]].code if len(chain) > depth else unit.code,
        }
        for uid, chain in chains.items()
    }


def counts_by_unit(level, as_of, personal, unit=None):
    """SQL rows (unit id, *values of the ``personal`` dimensions, staff, certified) of the
    staff active on ``as_of``, in ``unit``'s subtree on that date when given."""
    joins = []
    if unit is not None:
        low, high = subtree_range(path_on(unit, as_of) or "/")
        joins = [
            OrgUnitPath,
            and_(
                OrgUnitPath.org_unit_id == StaffPeriod.org_unit_id,
                OrgUnitPath.on(as_of),
                OrgUnitPath.path >= low,
                OrgUnitPath.path < high,
            ),
        ]
    members = select(
        StaffPeriod.org_unit_id.label("unit_id"),
        *(staff_dimension(d).label(d.value) for d in personal),
        case((holds(level, as_of), 1), else_=0).label("held"),
    )
    if any(d is not Dimension.POSITION for d in personal):  # gender, ethnicity: on Staff
        members = members.join(Staff, Staff.id == StaffPeriod.staff_id)
    if joins:
        members = members.join(*joins)
    # grouped outside a subquery: PostgreSQL would not match GROUP BY expressions holding
    # bound parameters with the same expressions in the SELECT list
    members = members.where(staff_filter(None, as_of)).subquery("members")
    keys = [members.c.unit_id, *(members.c[d.value] for d in personal)]
    return db.session.execute(
        select(*keys, func.count(), func.coalesce(func.sum(members.c.held), 0)).group_by(*keys)
    )


def fold(rows, dimensions, attributes_of):
    """Breakdown rows from ``counts_by_unit`` rows: each unit's attributes from
    ``attributes_of(unit id)`` (None: not counted), cells summed, ordered, percent added."""
    personal = [d for d in dimensions if d in STAFF_DIMENSIONS]
    cells = {}
    for row in rows:
        attrs = attributes_of(row[0])
        if attrs is None:
            continue
        own = dict(zip((d.value for d in personal), row[1 : 1 + len(personal)], strict=True))
        key = tuple(
            _value(d, own[d.value] if d in STAFF_DIMENSIONS else attrs[d.value]) for d in dimensions
        )
        counts = cells.setdefault(key, [0, 0])
        counts[0] += int(row[-2])
        counts[1] += int(row[-1])
    result = [
        dict(zip((d.value for d in dimensions), key, strict=True))
        | {"staff_total": total, "certified": certified, "percent": percent_of(certified, total)}
        for key, (total, certified) in cells.items()
    ]
    result.sort(key=lambda r: [_order(r[d.value]) for d in dimensions])
    return result


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
    then. Cells without staff are left out; their totals add up to ``coverage``'s.

    SQL counts the staff per unit and personal attribute (one ``GROUP BY``); the units'
    attributes are resolved once per unit (``unit_attributes``) and the cells summed here."""
    as_of = as_of or local_today()
    if not unit.in_force(as_of):
        raise NotInForce(unit)
    dimensions = [Dimension(d) for d in by]
    personal = [d for d in dimensions if d in STAFF_DIMENSIONS]
    attributes = unit_attributes(unit, as_of)
    return fold(counts_by_unit(level, as_of, personal, unit), dimensions, attributes.get)
