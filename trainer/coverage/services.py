"""Coverage: how many active staff of a unit hold a level, against the target (SPEC §2, §9).

Coverage as of D uses the state of D: staff whose period on D is active, in units whose path
on D (``org_unit_paths``) lies under U's path on D. Every figure comes from SQL aggregation:
a unit and its direct children in one query, the monthly trend in one; Python only divides
and rounds.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Date, and_, case, func, literal, or_, select, text, union_all
from sqlalchemy.orm import aliased

from .. import audit
from ..certificates.held_levels import holder_ids, in_force_on
from ..certificates.models import Certificate
from ..curriculum.models import CertificateLevel
from ..errors import Common, NotFound, check_range
from ..extensions import db
from ..org.models import OrgUnit, subtree_range, within
from ..org.periods import OrgUnitPath, OrgUnitPeriod, StaffPeriod, covers
from ..org.structure import ancestors_on, children_on, name_on, path_on
from ..timeutil import local_today
from .models import Target
from .values import TARGET_PERCENT, TARGET_YEAR


class NotInForce(NotFound):
    """The unit did not exist on the date asked about (404 with its dates and successor)."""

    def __init__(self, unit):
        super().__init__(
            Common.NOT_IN_FORCE,
            valid_from=unit.valid_from.isoformat() if unit.valid_from else None,
            valid_to=unit.valid_to.isoformat() if unit.valid_to else None,
            successor_code=unit.successor_code,
        )
        self.unit = unit


@dataclass
class CoverageRow:
    """Coverage of one unit; ``percent``, ``target_percent`` and ``gap`` may be None."""

    code: str
    name: str
    kind: str
    staff_total: int
    certified: int
    target_percent: float | None

    @property
    def percent(self):
        return percent_of(self.certified, self.staff_total)

    @property
    def gap(self):
        if self.percent is None or self.target_percent is None:
            return None
        return float(Decimal(str(self.target_percent)) - Decimal(str(self.percent)))

    def as_dict(self):
        return {
            "org": self.code,
            "name": self.name,
            "kind": self.kind,
            "staff_total": self.staff_total,
            "certified": self.certified,
            "percent": self.percent,
            "target_percent": self.target_percent,
            "gap": self.gap,
        }


def percent_of(part, whole):
    """100 × part / whole to one decimal, halves rounded up; None when there is nobody."""
    if not whole:
        return None
    value = Decimal(100 * part) / Decimal(whole)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def holds(level, as_of):
    """SQL condition on ``Staff``: holds ``level`` (or a higher one) on ``as_of``.

    ``staff.id IN (holders)``: the holders are gathered once (PostgreSQL hashes them, SQLite
    builds a temporary index) and every staff row is a lookup in memory. Measured at province
    scale it takes half the time of a correlated EXISTS on PostgreSQL (one index probe per
    staff member) and the same on SQLite. ``certificates.staff_id`` is NOT NULL, so
    ``NOT IN`` is safe too.
    """
    return StaffPeriod.staff_id.in_(holder_ids(level.rank, as_of))


def staff_filter(position, as_of):
    """SQL condition on ``StaffPeriod``: the period holds ``as_of``, active, of ``position``."""
    conditions = [covers(StaffPeriod, as_of), StaffPeriod.status == "active"]
    if position:
        conditions.append(StaffPeriod.position == position)
    return and_(*conditions)


def certified_count(level, as_of):
    return func.coalesce(func.sum(case((holds(level, as_of), 1), else_=0)), 0)


def counts_by_child(unit, level, as_of, position=None):
    """{child_id: (staff_total, certified)} for the children of ``unit`` on ``as_of``, plus
    the staff attached to ``unit`` itself under the key ``unit.id``: one query."""
    child, member = aliased(OrgUnitPath), aliased(OrgUnitPath)
    by_child = (
        select(child.org_unit_id, func.count(StaffPeriod.id), certified_count(level, as_of))
        .select_from(OrgUnitPeriod)
        .join(child, and_(child.org_unit_id == OrgUnitPeriod.org_unit_id, child.on(as_of)))
        .join(member, and_(within(member, child), member.on(as_of)))
        .join(
            StaffPeriod,
            and_(StaffPeriod.org_unit_id == member.org_unit_id, staff_filter(position, as_of)),
        )
        .where(OrgUnitPeriod.parent_id == unit.id, covers(OrgUnitPeriod, as_of))
        .group_by(child.org_unit_id)
    )
    own = (
        select(StaffPeriod.org_unit_id, func.count(StaffPeriod.id), certified_count(level, as_of))
        .where(StaffPeriod.org_unit_id == unit.id, staff_filter(position, as_of))
        .group_by(StaffPeriod.org_unit_id)
    )
    return {row[0]: (row[1], row[2]) for row in db.session.execute(union_all(by_child, own))}


def targets_for(unit_ids, level, year, day):
    """{unit_id: target percent}: a unit's own target, else its nearest ancestor's on ``day``."""
    chains = ancestors_on(unit_ids, day)
    ids = {uid for chain in chains.values() for uid in chain}
    own = dict(
        db.session.execute(
            select(Target.org_unit_id, Target.percent).where(
                Target.org_unit_id.in_(ids), Target.level_id == level.id, Target.year == year
            )
        ).all()
    )
    result = {}
    for uid in unit_ids:
        result[uid] = next(
            (float(own[a]) for a in reversed(chains.get(uid, [uid])) if a in own), None
        )
    return result


def unit_counts(unit, level, as_of, position=None):
    """{unit id: [active staff, certified]} of the staff attached to each unit of ``unit``'s
    subtree as it stood on ``as_of`` (of every unit for a root or ``unit=None``: ``roll_up``
    keeps only the units in force)."""
    conditions = [staff_filter(position, as_of)]
    if unit is not None and db.session.scalar(
        select(OrgUnitPeriod.parent_id).where(
            OrgUnitPeriod.org_unit_id == unit.id, covers(OrgUnitPeriod, as_of)
        )
    ):
        low, high = subtree_range(path_on(unit, as_of))
        conditions.append(
            StaffPeriod.org_unit_id.in_(
                select(OrgUnitPath.org_unit_id).where(
                    OrgUnitPath.on(as_of), OrgUnitPath.path >= low, OrgUnitPath.path < high
                )
            )
        )
        return _subtree_counts(conditions, level, as_of)
    return _whole_tree_counts(conditions, level, as_of)


def _subtree_counts(conditions, level, as_of):
    """Two GROUP BYs over a subtree's periods of the day, in one statement; the certified by a
    semi-join with the holders of the day, which PostgreSQL may answer by probing the
    certificates of the subtree's staff only (a district's 500 people, not the 13,000
    holders of the province)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"SET LOCAL plan_cache_mode = {CUSTOM_PLANS}"))
    totals = select(
        StaffPeriod.org_unit_id, literal(0).label("kind"), func.count(StaffPeriod.id)
    ).where(*conditions)
    holders = totals.where(StaffPeriod.staff_id.in_(holder_ids(level.rank, as_of)))
    rows = db.session.execute(
        union_all(
            totals.group_by(StaffPeriod.org_unit_id),
            holders.with_only_columns(
                StaffPeriod.org_unit_id, literal(1).label("kind"), func.count(StaffPeriod.id)
            ).group_by(StaffPeriod.org_unit_id),
        )
    )
    counts = {}
    for uid, kind, count in rows:
        counts.setdefault(uid, [0, 0])[kind] = count
    return counts


def _whole_tree_counts(conditions, level, as_of):
    """One GROUP BY over all the periods of the day, left-joined with the DISTINCT holders of
    the day (a person holding two levels counts once): the certified are the periods that
    found one.

    On PostgreSQL both sides come in ``staff_id`` order from covering indexes
    (``ix_staff_periods_staff``, ``ix_certificates_holding``): a merge join in one pass, no
    hash to build or spill, the tables' rows never read (the country: 2.1 s of CPU became
    0.8 s). The levels are matched by id (looked up first): a sub-select there turns the
    index's stream into a nested loop.
    """
    level_ids = db.session.scalars(
        select(CertificateLevel.id).where(CertificateLevel.rank >= level.rank)
    ).all()
    holders = (
        select(Certificate.staff_id)
        .where(Certificate.level_id.in_(level_ids), in_force_on(as_of))
        .distinct()
        .subquery("holders")
    )
    statement = (
        select(StaffPeriod.org_unit_id, func.count(), func.count(holders.c.staff_id))
        .outerjoin(holders, holders.c.staff_id == StaffPeriod.staff_id)
        .where(*conditions)
        .group_by(StaffPeriod.org_unit_id)
    )
    with _planned(WHOLE_TREE_SETTINGS):
        ids, totals, certified = _columns(statement)
    return {uid: [total, held] for uid, total, held in zip(ids, totals, certified, strict=True)}


def _columns(statement):
    """The result of ``statement`` as one sequence per column. On PostgreSQL one row of arrays
    (an ``array_agg`` per column, fed the same rows in the same order): psycopg decodes them
    in C, where the whole country's 50,000 rows cost 150 ms of Python as rows."""
    width = len(statement.selected_columns)
    if db.session.get_bind().dialect.name == "postgresql":
        rows = statement.subquery("result")
        arrays = db.session.execute(select(*(func.array_agg(c) for c in rows.c))).one()
        return [array or [] for array in arrays]
    return list(zip(*db.session.execute(statement).all(), strict=True)) or [()] * width


# psycopg prepares a statement run five times; PostgreSQL then tries a generic plan, whose
# guesses for the date and path bounds turn the joins into nested loops (20 ms became 12 s at
# province scale): plan for this day's values.
CUSTOM_PLANS = "force_custom_plan"
# The whole tree as a merge join, serially and without JIT. At national scale (1.5 M
# periods) the planner's costs for a hash join (a sequential scan of the periods, the holders
# hashed) are within 1 % of the merge join's, and the index with ``position`` included
# (13 MB larger) flipped its choice: 1.24 s of CPU instead of 0.69 s. JIT compilation cost
# 150 ms of every run, and parallel workers would each read the whole merge join's inner side
# (more CPU than they save on 2 cores).
WHOLE_TREE_SETTINGS = {
    "plan_cache_mode": CUSTOM_PLANS,
    "enable_hashjoin": "off",
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
}


@contextmanager
def _planned(settings):
    """PostgreSQL's ``settings`` for the statements run inside, then the previous values again
    (``SET LOCAL``: a failed statement's rollback restores them too)."""
    if db.session.get_bind().dialect.name != "postgresql":
        yield
        return
    names = list(settings)
    before = db.session.execute(select(*(func.current_setting(n) for n in names))).one()
    _set_local(settings)
    yield
    _set_local(dict(zip(names, before, strict=True)))


def _set_local(values):
    db.session.execute(select(*(func.set_config(n, v, True) for n, v in values.items())))


def roll_up(unit, counts, as_of):
    """{child id, or ``unit.id`` for its own staff: [staff, certified]}: the per-unit
    ``counts`` summed over each child's subtree as it stood on ``as_of`` (one query for the
    paths of the day; the sums in Python, over units, never over staff)."""
    root = path_on(unit, as_of)
    low, high = subtree_range(root)
    depth = root.count("/") - 1  # ids in the root's path
    sums = {unit.id: [0, 0]}
    ids, paths = _columns(
        select(OrgUnitPath.org_unit_id, OrgUnitPath.path).where(
            OrgUnitPath.on(as_of), OrgUnitPath.path >= low, OrgUnitPath.path < high
        )
    )
    for uid, path in zip(ids, paths, strict=True):
        figures = counts.get(uid)
        if figures is None:
            continue
        parts = path.split("/", depth + 2)  # "", the root's ids, then the child's id
        key = int(parts[depth + 1]) if len(parts) > depth + 2 else unit.id
        total = sums.setdefault(key, [0, 0])
        total[0] += figures[0]
        total[1] += figures[1]
    return sums


def coverage(unit, level, as_of=None, position=None, counts=None):
    """(row for ``unit``, rows for its direct children by name), all as of ``as_of``;
    ``NotInForce`` when the unit did not exist then. Per-unit counts of the day (``counts``
    when given, e.g. the whole tree's from the cache), rolled up over the tree of the day."""
    as_of = as_of or local_today()
    if not unit.in_force(as_of):
        raise NotInForce(unit)
    children = children_on(unit, as_of)
    targets = targets_for([unit.id, *(c.id for c, _name in children)], level, as_of.year, as_of)
    if counts is None:
        counts = unit_counts(unit, level, as_of, position)
    by_child = roll_up(unit, counts, as_of)
    total = sum(count[0] for count in by_child.values())
    certified = sum(count[1] for count in by_child.values())
    head = CoverageRow(
        unit.code, name_on(unit, as_of), unit.kind, total, certified, targets[unit.id]
    )
    rows = [
        CoverageRow(c.code, name, c.kind, *by_child.get(c.id, (0, 0)), targets[c.id])
        for c, name in children
    ]
    return head, rows


def coverage_by_join(unit, level, as_of=None, position=None):
    """``coverage`` as it was computed before the per-unit counts: the subtree joined in SQL
    (``counts_by_child``). Kept as the benchmarks' baseline and the tests' second opinion."""
    as_of = as_of or local_today()
    if not unit.in_force(as_of):
        raise NotInForce(unit)
    children = children_on(unit, as_of)
    targets = targets_for([unit.id, *(c.id for c, _name in children)], level, as_of.year, as_of)
    by_child = counts_by_child(unit, level, as_of, position)
    head = CoverageRow(
        unit.code,
        name_on(unit, as_of),
        unit.kind,
        sum(count[0] for count in by_child.values()),
        sum(count[1] for count in by_child.values()),
        targets[unit.id],
    )
    rows = [
        CoverageRow(c.code, name, c.kind, *by_child.get(c.id, (0, 0)), targets[c.id])
        for c, name in children
    ]
    return head, rows


def month_ends(as_of, months=24):
    """The last day of each of the ``months`` months up to ``as_of`` (``as_of`` itself last)."""
    result, year, month = [], as_of.year, as_of.month
    for _ in range(months - 1):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        following = date(year + (month == 12), month % 12 + 1, 1)
        result.append(date.fromordinal(following.toordinal() - 1))
    return list(reversed(result)) + [as_of]


def trend_by_join(unit, level, as_of=None, position=None, months=24):
    """[(month end, percent)] for the last ``months`` months, from one query over every
    (month end, staff member) pair: the trend before ``trend.trend``, kept as the benchmarks'
    baseline and the tests' second opinion.

    Two sets of (day, staff) pairs meet in a hash join: the members active on each day, and
    the holders on each day (each certificate is an interval of days, tested against the 24
    dates, not looked up once per member and day).
    """
    as_of = as_of or local_today()
    dates = month_ends(as_of, months)
    # a constant table of the dates (portable: VALUES with column names is not on SQLite)
    days = union_all(*(select(literal(d, Date).label("day")) for d in dates)).cte("days")
    root, member = aliased(OrgUnitPath), aliased(OrgUnitPath)
    on_day = and_(
        or_(StaffPeriod.valid_from.is_(None), StaffPeriod.valid_from <= days.c.day),
        or_(StaffPeriod.valid_to.is_(None), StaffPeriod.valid_to >= days.c.day),
        StaffPeriod.status == "active",
        *([StaffPeriod.position == position] if position else []),
    )
    members = (
        select(days.c.day.label("day"), StaffPeriod.staff_id.label("staff_id"))
        .select_from(days)
        .join(
            root,
            and_(
                root.org_unit_id == unit.id,
                root.valid_from <= days.c.day,
                root.valid_to >= days.c.day,
            ),
        )
        .join(
            member,
            and_(
                within(member, root), member.valid_from <= days.c.day, member.valid_to >= days.c.day
            ),
        )
        .join(StaffPeriod, and_(StaffPeriod.org_unit_id == member.org_unit_id, on_day))
        .cte("members")
    )
    holders = (
        select(days.c.day.label("day"), Certificate.staff_id.label("staff_id"))
        .select_from(days)
        .join(
            Certificate,
            and_(
                Certificate.issued_on <= days.c.day,
                or_(Certificate.status != "revoked", Certificate.revoked_on > days.c.day),
                or_(Certificate.expires_on.is_(None), Certificate.expires_on > days.c.day),
            ),
        )
        .where(
            Certificate.level_id.in_(
                select(CertificateLevel.id).where(CertificateLevel.rank >= level.rank)
            )
        )
        .distinct()
        .cte("holders")
    )
    stmt = (
        select(members.c.day, func.count(), func.count(holders.c.staff_id))
        .select_from(members)
        .outerjoin(
            holders, and_(holders.c.day == members.c.day, holders.c.staff_id == members.c.staff_id)
        )
        .group_by(members.c.day)
    )
    counted = {_as_date(row[0]): (row[1], row[2]) for row in db.session.execute(stmt)}
    return [(d, percent_of(counted.get(d, (0, 0))[1], counted.get(d, (0, 0))[0])) for d in dates]


def _as_date(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def projection(points, target, window=6):
    """When the target is reached at the pace of the last ``window`` months.

    Returns ("reached", None), ("on_track", months_from_last_point), ("never", None) when
    the pace is flat or falling, or ("no_target", None).
    """
    if target is None:
        return "no_target", None
    values_ = [p for _d, p in points if p is not None]
    if not values_:
        return "never", None
    current = values_[-1]
    if current >= target:
        return "reached", None
    if len(values_) <= window:
        return "never", None
    pace = (current - values_[-1 - window]) / window
    if pace <= 0:
        return "never", None
    months = -(-(target - current) // pace)  # ceiling
    return "on_track", int(months)


def set_target(unit, level, year, percent, *, actor=None):
    """Create or change the target of ``unit`` for ``level`` in ``year`` (0–100 %)."""
    check_range(percent, TARGET_PERCENT, "percent")
    check_range(year, TARGET_YEAR, "year")
    target = db.session.scalar(
        select(Target).where(
            Target.org_unit_id == unit.id, Target.level_id == level.id, Target.year == year
        )
    )
    old = float(target.percent) if target else None
    if target is None:
        target = Target(org_unit_id=unit.id, level_id=level.id, year=year, percent=percent)
        db.session.add(target)
    else:
        target.percent = percent
    db.session.flush()
    audit.record(
        "target.set",
        target,
        user=actor,
        org=unit.code,
        level=level.code,
        year=year,
        old=old,
        new=float(percent),
    )
    return target


def may_set_target(scope, unit):
    """Anywhere for the whole province's users; else for the units below their own."""
    if not scope.can("set_targets"):
        return False
    if scope.everything:
        return True
    return scope.by_subtree and unit.id != scope.root.id and unit.is_within(scope.root)


def cached_coverage(unit, level, as_of=None, position=None):
    """``coverage`` through the data-versioned cache (see cache.py)."""
    from .cache import cached

    as_of = as_of or local_today()

    def compute():
        # the whole tree's per-unit counts of the day, once per data version: every unit's
        # figures on that day are then a roll-up (no scan of the staff)
        counts = cached(
            ("unit_counts", level.rank, as_of, position),
            lambda: unit_counts(None, level, as_of, position),
        )
        return coverage(unit, level, as_of, position, counts=counts)

    return cached(("coverage", unit.id, level.id, as_of, position), compute)


def last_year(day):
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def coverage_by_structure_of(unit, level, then, now, position=None):
    """(head, rows): coverage on ``then`` counted by the structure of ``now`` — ``unit``'s
    children on ``now``, each with the staff of ``then`` whose unit (or, when it has closed
    since, its successor) lies in that child's subtree on ``now``. SQL counts per unit; only
    the units are mapped in Python."""
    if not unit.in_force(now):
        raise NotInForce(unit)
    per_unit = db.session.execute(
        select(StaffPeriod.org_unit_id, func.count(StaffPeriod.id), certified_count(level, then))
        .where(staff_filter(position, then))
        .group_by(StaffPeriod.org_unit_id)
    ).all()
    units = {
        row.id: row
        for row in db.session.execute(
            select(
                OrgUnit.id,
                OrgUnit.code,
                OrgUnit.valid_from,
                OrgUnit.valid_to,
                OrgUnit.successor_code,
            )
        )
    }
    id_of = {row.code: uid for uid, row in units.items()}
    paths = dict(
        db.session.execute(
            select(OrgUnitPath.org_unit_id, OrgUnitPath.path).where(OrgUnitPath.on(now))
        ).all()
    )
    children = children_on(unit, now)
    counts = {child.id: [0, 0] for child, _name in children} | {unit.id: [0, 0]}

    def heir(uid):
        for _ in range(len(units)):  # follow successors until one is in force on ``now``
            if uid is None or uid in paths:
                return uid
            uid = id_of.get(units[uid].successor_code)
        return None

    for uid, total, certified in per_unit:
        path = paths.get(heir(uid))
        if path is None or not path.startswith(paths[unit.id]):
            continue
        key = next((c.id for c, _n in children if path.startswith(paths[c.id])), unit.id)
        counts[key][0] += total
        counts[key][1] += certified
    targets = targets_for([unit.id, *counts], level, then.year, now)
    rows = [CoverageRow(c.code, name, c.kind, *counts[c.id], targets[c.id]) for c, name in children]
    head = CoverageRow(
        unit.code,
        name_on(unit, now),
        unit.kind,
        sum(t for t, _c in counts.values()),
        sum(c for _t, c in counts.values()),
        targets[unit.id],
    )
    return head, rows
