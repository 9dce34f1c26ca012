"""The monthly trend: each month end's coverage, from per-unit counts grouped once.

Counting every (month end, staff member) pair costs 24 rows per person (375,000 at province
scale, two seconds on PostgreSQL). Instead each staff period and each certificate becomes a
24-bit mask of the month ends it covers, and one GROUP BY counts the staff periods per
(unit, days active, days certified); the units' masks of the days they lay in the subtree
come from the path table, and Python adds the bits up, over units, never over staff.
"""

from datetime import date

from sqlalchemy import and_, case, func, literal, or_, select, text
from sqlalchemy.orm import aliased

from ..certificates.models import Certificate
from ..curriculum.models import CertificateLevel
from ..extensions import db
from ..org.models import within
from ..org.periods import OrgUnitPath, StaffPeriod
from ..timeutil import local_today
from .services import month_ends, percent_of


def day_mask(dates, holds):
    """SQL: the sum of 2^i over the dates d_i for which ``holds(d_i)`` is true."""
    return sum(
        (case((holds(day), literal(1 << i)), else_=literal(0)) for i, day in enumerate(dates)),
        start=literal(0),
    )


def unit_masks(unit, dates):
    """{unit id: mask of the dates on which it lay in ``unit``'s subtree}."""
    root, member = aliased(OrgUnitPath), aliased(OrgUnitPath)
    rows = db.session.execute(
        select(
            member.org_unit_id, member.valid_from, member.valid_to, root.valid_from, root.valid_to
        )
        .select_from(root)
        .join(member, within(member, root))
        .where(
            root.org_unit_id == unit.id,
            root.valid_to >= dates[0],
            root.valid_from <= dates[-1],
            member.valid_to >= root.valid_from,
            member.valid_from <= root.valid_to,
        )
    )
    masks = {}
    for uid, *bounds in rows:
        first, last, root_first, root_last = (_as_date(b) for b in bounds)
        start, end = max(first, root_first), min(last, root_last)
        bits = sum(1 << i for i, day in enumerate(dates) if start <= day <= end)
        masks[uid] = masks.get(uid, 0) | bits
    return masks


def counts_by_mask(level, dates, members, position=None):
    """[(unit id, active mask, certified mask, staff periods)] for the staff periods of the
    units in ``members`` (a select of unit ids): one GROUP BY."""
    held = Certificate.level_id.in_(
        select(CertificateLevel.id).where(CertificateLevel.rank >= level.rank)
    )
    bits = [
        func.max(
            case(
                (
                    and_(
                        Certificate.issued_on <= day,
                        or_(Certificate.status != "revoked", Certificate.revoked_on > day),
                        or_(Certificate.expires_on.is_(None), Certificate.expires_on > day),
                    ),
                    literal(1 << i),
                ),
                else_=literal(0),
            )
        )
        for i, day in enumerate(dates)
    ]
    holders = (
        select(Certificate.staff_id.label("staff_id"), sum(bits, start=literal(0)).label("mask"))
        .where(held)
        .group_by(Certificate.staff_id)
        .subquery()
    )
    active = day_mask(
        dates,
        lambda day: and_(
            or_(StaffPeriod.valid_from.is_(None), StaffPeriod.valid_from <= day),
            or_(StaffPeriod.valid_to.is_(None), StaffPeriod.valid_to >= day),
        ),
    )
    certified = active.op("&")(func.coalesce(holders.c.mask, 0))
    conditions = [
        StaffPeriod.status == "active",
        StaffPeriod.org_unit_id.in_(members),
        or_(StaffPeriod.valid_from.is_(None), StaffPeriod.valid_from <= dates[-1]),
        or_(StaffPeriod.valid_to.is_(None), StaffPeriod.valid_to >= dates[0]),
    ]
    if position:
        conditions.append(StaffPeriod.position == position)
    inner = (
        select(
            StaffPeriod.org_unit_id.label("unit_id"),
            active.label("active"),
            certified.label("certified"),
        )
        .outerjoin(holders, holders.c.staff_id == StaffPeriod.staff_id)
        .where(*conditions)
        .subquery()
    )
    return db.session.execute(
        select(inner.c.unit_id, inner.c.active, inner.c.certified, func.count()).group_by(
            inner.c.unit_id, inner.c.active, inner.c.certified
        )
    ).all()


def trend(unit, level, as_of=None, position=None, months=24, total=None):
    """[(month end, percent)] for the last ``months`` months: each month counts its own active
    staff in the subtree as it stood then (``total`` is unused, kept for callers)."""
    as_of = as_of or local_today()
    dates = month_ends(as_of, months)
    masks = unit_masks(unit, dates)
    if db.session.get_bind().dialect.name == "postgresql":
        # the dates are parameters: a generic plan would guess their selectivity (see
        # services.unit_counts)
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    root, member = aliased(OrgUnitPath), aliased(OrgUnitPath)
    members = (
        select(member.org_unit_id)
        .select_from(root)
        .join(member, within(member, root))
        .where(root.org_unit_id == unit.id)
    )
    totals, certified = [0] * len(dates), [0] * len(dates)
    for uid, active, held, count in counts_by_mask(level, dates, members, position):
        inside = masks.get(uid, 0)
        active, held = int(active) & inside, int(held) & inside
        for i in range(len(dates)):
            if active >> i & 1:
                totals[i] += count
                if held >> i & 1:
                    certified[i] += count
    return [(d, percent_of(certified[i], totals[i])) for i, d in enumerate(dates)]


def _as_date(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
