"""Coverage broken down by one or two attributes (SPEC §9 ``GET /coverage/breakdown``).

The same staff set and holder condition as ``coverage``: staff whose period on D is active in
a unit whose path on D lies under U's path on D, certified when ``holds(level, D)``. One SQL
``GROUP BY`` over the periods of D counts them per unit and personal attribute (gender,
ethnic minority, position: the periods carry copies of the staff record's gender and
ethnicity, so ``staff`` is not joined); each unit's attributes (own ``school_level`` /
``disadvantaged``, else the nearest ancestor's on D; the child of U holding it) are resolved
once per unit from its path on D, and Python adds the unit rows into the cells. Both
queries are compiled once (``driver_rows``) and run on the driver's cursor: at province scale
building them and wrapping their rows in the ORM cost about 2–3 ms of a 20 ms request.

The staff are counted from the day's staff states (``states.py``: the periods cut where the
highest level held changes, each with that level's rank), certified when the rank a state
holds that day (``StaffState.rank_on``) is at least the level's: one scan, where testing each
period against the day's holders was about half of SQLite's query. While a person's states
are stale (changes not yet committed, or a writer outside a session) the periods and the
holders are counted instead, the same figures.

The first version joined the staff to a CTE of the units whose attributes were correlated
subqueries: SQLite inlined it and ran them per staff row (4.3 s for the province).
"""

from datetime import date
from enum import StrEnum

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    text,
)

from ..certificates.held_levels import holder_ids
from ..errors import Common, InvalidInput
from ..extensions import db
from ..org.attributes import KINH
from ..org.models import OrgUnit, subtree_range
from ..org.periods import OrgUnitPath, StaffPeriod
from ..org.values import Gender
from ..timeutil import local_today
from .services import NotInForce, path_on, percent_of, staff_filter
from .states import StaffState, anyone_stale


class Dimension(StrEnum):
    SCHOOL_LEVEL = "school_level"
    GENDER = "gender"
    ETHNIC_MINORITY = "ethnic_minority"
    DISADVANTAGED = "disadvantaged"
    POSITION = "position"
    CHILD = "child"


#: a unit's resolved (school level, disadvantaged, child code) when nothing is handed down
BLANK = (None, None, None)
BOOLEAN_DIMENSIONS = {Dimension.ETHNIC_MINORITY, Dimension.DISADVANTAGED}
#: the dimensions read from the staff member (the others from their unit)
STAFF_DIMENSIONS = {Dimension.GENDER, Dimension.ETHNIC_MINORITY, Dimension.POSITION}
#: the column each staff dimension is read from (on ``StaffPeriod`` or ``StaffState``)
STORED = {
    Dimension.GENDER: "gender",
    Dimension.ETHNIC_MINORITY: "ethnicity",
    Dimension.POSITION: "position",
}


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


def _expression(dimension, units, source=StaffPeriod):
    if dimension is Dimension.SCHOOL_LEVEL:
        return units.c.school_level
    if dimension is Dimension.DISADVANTAGED:
        return func.coalesce(units.c.disadvantaged, False)
    if dimension is Dimension.CHILD:
        return units.c.child
    if dimension is Dimension.POSITION:
        return source.position
    if dimension is Dimension.GENDER:
        return case(
            (source.gender.in_([Gender.MALE.value, Gender.FEMALE.value]), source.gender),
            else_=None,
        )
    # ethnic minority: given and not Kinh; unknown (NULL or empty) stays NULL
    return case(
        (or_(source.ethnicity.is_(None), source.ethnicity == ""), None),
        (source.ethnicity == KINH, False),
        else_=True,
    )


def staff_dimension(dimension, source=StaffPeriod):
    """SQL expression of a staff dimension, on ``StaffPeriod`` (or ``StaffState``) alone: the
    periods and states carry copies of the staff record's gender and ethnicity."""
    return _expression(dimension, None, source)


def unit_attributes(unit, as_of, root=None):
    """{unit id: {"school_level", "disadvantaged", "child"}} of the units in ``unit``'s subtree
    on ``as_of``: its own attribute, else the nearest ancestor's on ``as_of`` (read from the
    unit's path that day), and the child of ``unit`` it lies under (``unit``'s own code for
    ``unit`` itself). One query for the subtree (paths and the units' own attributes), one
    for ``unit``'s ancestors when it has any; Python walks the paths of the few hundred
    units, which is far cheaper than correlated subqueries per unit. ``root``: ``unit``'s path
    on ``as_of`` when the caller has read it."""
    root = root or path_on(unit, as_of)
    if root is None:
        return {}
    low, high = subtree_range(root)
    columns = (OrgUnit.id, OrgUnit.code, OrgUnit.school_level, OrgUnit.disadvantaged)
    rows = driver_rows(
        ("unit_attributes",),
        lambda: (
            select(OrgUnitPath.path, *columns)
            .join(OrgUnit, OrgUnit.id == OrgUnitPath.org_unit_id)
            .where(
                OrgUnitPath.on(bindparam("as_of", type_=Date)),
                OrgUnitPath.path >= bindparam("low", type_=String),
                OrgUnitPath.path < bindparam("high", type_=String),
            )
        ),
        {"as_of": as_of, "low": low, "high": high},
    )
    above = [int(p) for p in root.strip("/").split("/")][:-1]
    # what ``unit``'s parent hands down: the nearest of its ancestors' own values
    inherited = BLANK
    if above:
        own = {
            row.id: row for row in db.session.execute(select(*columns).where(OrgUnit.id.in_(above)))
        }
        for uid in above:
            inherited = tuple(
                mine if mine is not None else theirs
                for mine, theirs in zip((*own[uid][2:], None), inherited, strict=True)
            )
    # sorted by path, parents come before their children (a parent's path is a prefix of
    # theirs): each unit takes its own value, else the one its parent resolved
    resolved = {}  # path: (school level, disadvantaged, child's code)
    result = {}
    for path, uid, code, level, disadvantaged in sorted(rows):
        if path == root:
            parent, child = inherited, None
        else:
            parent_path = path[: path.rindex("/", 0, -1) + 1]
            parent = resolved.get(parent_path, BLANK)
            child = code if parent_path == root else parent[2]
        if level is None:
            level = parent[0]
        if disadvantaged is None:
            disadvantaged = parent[1]
        resolved[path] = (level, disadvantaged, child)
        result[uid] = {
            "school_level": level,
            "disadvantaged": bool(disadvantaged),
            "child": child if child is not None else unit.code,
        }
    return result


def counts_by_unit(level, as_of, personal, unit=None, path=None):
    """SQL rows (unit id, *values of the ``personal`` dimensions, staff, certified) of the
    staff active on ``as_of``, in ``unit``'s subtree on that date when given.

    One grouped query over the periods of the day: gender and ethnicity are read from the
    periods' copies, so ``staff`` is not joined. For a unit without a parent on ``as_of``
    (the province: its path that day has one step) the subtree is not joined either: every
    unit is counted, and the caller keeps those in the subtree (``fold`` drops units without
    attributes). ``path``: ``unit``'s path on ``as_of`` when the caller has read it."""
    path = (path or path_on(unit, as_of) or "/") if unit is not None else "/"
    subtree = path.count("/") > 2  # "/12/34/": under a parent that day
    low, high = subtree_range(path)
    grouped = db.session.get_bind().dialect.name == "sqlite"
    if not grouped:
        # as in ``unit_counts``: a prepared statement's generic plan guesses the date and
        # path bounds badly; plan for this day's values
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    states = not driver_rows(("stale",), anyone_stale, {})  # ``states.fresh``, on the cursor
    key = (tuple(personal), subtree, states)
    values = {"as_of": as_of, "rank": level.rank, "low": low, "high": high}
    return driver_rows(key, lambda: _counts_statement(personal, subtree, grouped, states), values)


def _counts_statement(personal, subtree, grouped, states=True):
    """``counts_by_unit``'s query with the day, the level's rank and the subtree's bounds as
    parameters (``as_of``, ``rank``, ``low``, ``high``): over the day's staff states
    (``states``), else over its periods, each tested against the day's holders.

    ``grouped`` (SQLite): the periods are first grouped by unit and the stored values
    (``ethnicity``, not whether it is a minority), which SQLite reads in index order
    (``ix_staff_periods_unit_ethnicity``) where grouping by the mapped value sorted the
    day's 15,000 periods; the outer query adds the few groups that map to the same value.
    PostgreSQL hashes the periods by the mapped values at once (a second aggregate cost it
    2–3 ms)."""
    as_of = bindparam("as_of", type_=Date)
    # ``holds(level, as_of)`` with the rank and the day as parameters
    rank = bindparam("rank", type_=Integer)
    if states:
        source, holds = StaffState, StaffState.rank_on(as_of) >= rank
        on_day = StaffState.on(as_of)
    else:
        source = StaffPeriod
        holds = StaffPeriod.staff_id.in_(holder_ids(rank, as_of, lowest_any=grouped))
        on_day = staff_filter(None, as_of)
    staff, held = literal_column("1"), case((holds, 1), else_=0)
    if grouped:
        staff, held = func.count(), func.sum(held)
    members = select(
        source.org_unit_id.label("unit_id"),
        *(staff_dimension(d, source).label(d.value) for d in personal),
        staff.label("staff"),
        held.label("held"),
    )
    if subtree:
        members = members.join(
            OrgUnitPath,
            and_(
                OrgUnitPath.org_unit_id == source.org_unit_id,
                OrgUnitPath.on(as_of),
                OrgUnitPath.path >= bindparam("low", type_=String),
                OrgUnitPath.path < bindparam("high", type_=String),
            ),
        )
    members = members.where(on_day)
    if grouped:
        members = members.group_by(
            source.org_unit_id, *(getattr(source, STORED[d]) for d in personal)
        )
    # the mapped values grouped outside a subquery: PostgreSQL would not match GROUP BY
    # expressions holding bound parameters with the same expressions in the SELECT list
    members = members.subquery("members")
    keys = [members.c.unit_id, *(members.c[d.value] for d in personal)]
    return select(
        *keys, func.sum(members.c.staff), func.coalesce(func.sum(members.c.held), 0)
    ).group_by(*keys)


#: statements compiled once per (dialect, driver, key): SQL text, no data
_COMPILED = {}


def driver_rows(key, build, values):
    """Plain tuples of the statement ``build()`` run with ``values`` on the session's
    connection: compiled once per dialect and ``key``, executed on the driver's cursor.

    Built, compiled-cache keyed and executed through the ORM, the breakdown's query spent
    about 2 ms of a 13 ms request in SQLAlchemy (its statement and its 1,200 ``Row``s)."""
    db.session.flush()  # what the ORM's autoflush would have done before a query
    connection = db.session.connection()
    dialect = connection.dialect
    compiled = _COMPILED.get((dialect.name, dialect.driver, key))
    if compiled is None:
        compiled = _COMPILED[(dialect.name, dialect.driver, key)] = build().compile(dialect=dialect)
    # the SQL and its parameters with ``IN`` lists of values spelled out
    state = compiled.construct_expanded_state(
        {name: _driver_value(value, dialect) for name, value in values.items()}
    )
    params = state.positional_parameters if compiled.positional else state.parameters
    cursor = connection.connection.cursor()
    try:
        cursor.execute(state.statement, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _driver_value(value, dialect):
    """``value`` as the driver takes it: a date as the dialect stores it (text on SQLite)."""
    processor = isinstance(value, date) and Date().dialect_impl(dialect).bind_processor(dialect)
    return processor(value) if processor else value


def fold(rows, dimensions, attributes_of):
    """Breakdown rows from ``counts_by_unit`` rows: each unit's attributes from
    ``attributes_of(unit id)`` (None: not counted), cells summed, ordered, percent added.

    A thousand rows or more for the province: each row only builds its key (a staff value
    from the row, a unit value from its attributes) and adds to its cell; values are
    normalised once per cell."""
    personal = [d for d in dimensions if d in STAFF_DIMENSIONS]
    own = [d.value for d in dimensions if d not in STAFF_DIMENSIONS]
    # rows are keyed (staff values…, unit values…); each cell's key is put in the order of
    # ``dimensions`` once, below
    order = [
        personal.index(d) if d in STAFF_DIMENSIONS else len(personal) + own.index(d.value)
        for d in dimensions
    ]
    end = 1 + len(personal)
    cells = {}
    for row in rows:
        attrs = attributes_of(row[0])
        if attrs is None:
            continue
        key = (*row[1:end], *[attrs[name] for name in own])
        counts = cells.get(key)
        if counts is None:
            counts = cells[key] = [0, 0]
        counts[0] += row[-2]
        counts[1] += row[-1]
    merged = {}  # 0/1 from SQLite and False/True from PostgreSQL are the same keys already
    for key, (total, certified) in cells.items():
        key = tuple(_value(d, key[i]) for d, i in zip(dimensions, order, strict=True))
        counts = merged.setdefault(key, [0, 0])
        counts[0] += int(total)
        counts[1] += int(certified)
    result = [
        dict(zip((d.value for d in dimensions), key, strict=True))
        | {"staff_total": total, "certified": certified, "percent": percent_of(certified, total)}
        for key, (total, certified) in merged.items()
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
    path = path_on(unit, as_of)
    attributes = unit_attributes(unit, as_of, path)
    rows = counts_by_unit(level, as_of, personal, unit, path)
    return fold(rows, dimensions, attributes.get)
