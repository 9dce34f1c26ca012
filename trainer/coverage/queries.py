"""What the dashboard shows beside coverage: who still needs what, and training activity."""

from datetime import UTC, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.orm import aliased, joinedload

from ..certificates.held_levels import held_ranks
from ..curriculum.eligibility import completed_modules, level_progress
from ..extensions import db
from ..org.models import OrgUnit, Staff, subtree_range, within
from ..org.periods import OrgUnitPath, OrgUnitPeriod, StaffPeriod, covers
from ..org.structure import children_on, path_on
from ..timeutil import local_date, local_today, local_zone, utc_now
from ..training.models import Enrollment, TrainingSession
from .services import holds, staff_filter


def uncertified(unit, level, as_of, position=None):
    """Staff active on ``as_of`` in the subtree as it stood then, not holding ``level`` on
    that date, by unit and name."""
    root = path_on(unit, as_of)
    if root is None:
        return []
    low, high = subtree_range(root)
    return db.session.scalars(
        select(Staff)
        .join(StaffPeriod, StaffPeriod.staff_id == Staff.id)
        .join(
            OrgUnitPath,
            and_(
                OrgUnitPath.org_unit_id == StaffPeriod.org_unit_id,
                OrgUnitPath.on(as_of),
                OrgUnitPath.path >= low,
                OrgUnitPath.path < high,
            ),
        )
        .where(staff_filter(position, as_of), ~holds(level, as_of))
        .options(joinedload(Staff.org_unit))
        .order_by(OrgUnitPath.path, Staff.sort_key)
    ).all()


def district_of(unit):
    """The district a unit belongs to (the unit itself when it is the province or a district)."""
    ids = unit.ancestor_ids()
    return db.session.get(OrgUnit, ids[1]) if len(ids) > 1 else unit


def next_sessions(unit, module_ids, now=None):
    """{module_id: the earliest upcoming scheduled session in ``unit``'s district}."""
    now = now or datetime.now(UTC)
    district = district_of(unit)
    first = (
        select(TrainingSession.module_id, func.min(TrainingSession.starts_at).label("at"))
        .join(OrgUnit, OrgUnit.id == TrainingSession.org_unit_id)
        .where(
            TrainingSession.status == "scheduled",
            TrainingSession.starts_at > now,
            TrainingSession.module_id.in_(list(module_ids)),
            OrgUnit.in_subtree(district.path),
        )
        .group_by(TrainingSession.module_id)
        .subquery()
    )
    sessions = db.session.scalars(
        select(TrainingSession)
        .join(
            first,
            and_(
                first.c.module_id == TrainingSession.module_id,
                first.c.at == TrainingSession.starts_at,
            ),
        )
        .join(OrgUnit, OrgUnit.id == TrainingSession.org_unit_id)
        .where(OrgUnit.in_subtree(district.path), TrainingSession.status == "scheduled")
        .options(joinedload(TrainingSession.org_unit))
    ).all()
    return {s.module_id: s for s in sessions}


def to_do(unit, level, as_of, position=None):
    """[(staff, missing module codes, next session or None)] for the uncertified staff."""
    people = uncertified(unit, level, as_of, position)
    ids = [p.id for p in people]
    done, ranks = completed_modules(ids), held_ranks(ids, as_of)
    upcoming = next_sessions(unit, {lm.module_id for lm in level.level_modules})
    rows = []
    for person in people:
        progress = level_progress(level, done.get(person.id, set()), ranks.get(person.id, 0))
        missing = progress.required_missing + (
            progress.electives_open if progress.electives_needed else []
        )
        options = [upcoming[m.id] for m in missing if m.id in upcoming]
        soonest = min(options, key=lambda s: s.starts_at) if options else None
        rows.append((person, [m.code for m in missing], soonest))
    return rows


def day_end(as_of, now=None):
    """The moment activity up to ``as_of`` ends: now for today, else the end of that day in
    Vietnam (as UTC)."""
    now = now or utc_now()
    if as_of >= local_date(now):
        return now
    following = datetime.combine(as_of + timedelta(days=1), time(), tzinfo=local_zone())
    return following.astimezone(UTC)


def activity(unit, as_of=None, *, now=None, days=365):
    """Per child of ``unit`` on ``as_of`` (default today), over the ``days`` days up to it:
    sessions held at venues in the child's subtree as it stood on ``as_of``, participants,
    attendance rate, and IT teachers with their share of the staff active on ``as_of``."""
    as_of = as_of or local_today()
    until = day_end(as_of, now)
    since = until - timedelta(days=days)
    child, venue = aliased(OrgUnitPath), aliased(OrgUnitPath)
    children_then = and_(OrgUnitPeriod.parent_id == unit.id, covers(OrgUnitPeriod, as_of))
    attended = func.sum(case((Enrollment.status.in_(("present", "late")), 1), else_=0))
    marked = func.sum(case((Enrollment.status.is_not(None), 1), else_=0))
    sessions = dict(
        (row[0], row[1:])
        for row in db.session.execute(
            select(
                child.org_unit_id,
                func.count(func.distinct(TrainingSession.id)),
                func.count(Enrollment.id),
                attended,
                marked,
            )
            .select_from(OrgUnitPeriod)
            .join(child, and_(child.org_unit_id == OrgUnitPeriod.org_unit_id, child.on(as_of)))
            .join(venue, and_(within(venue, child), venue.on(as_of)))
            .join(
                TrainingSession,
                and_(
                    TrainingSession.org_unit_id == venue.org_unit_id,
                    TrainingSession.status == "held",
                    TrainingSession.starts_at >= since,
                    TrainingSession.starts_at < until,
                ),
            )
            .outerjoin(Enrollment, Enrollment.session_id == TrainingSession.id)
            .where(children_then)
            .group_by(child.org_unit_id)
        )
    )
    member = aliased(OrgUnitPath)
    it_share = dict(
        (row[0], row[1:])
        for row in db.session.execute(
            select(
                child.org_unit_id,
                func.count(StaffPeriod.id),
                func.sum(case((StaffPeriod.position == "it_teacher", 1), else_=0)),
            )
            .select_from(OrgUnitPeriod)
            .join(child, and_(child.org_unit_id == OrgUnitPeriod.org_unit_id, child.on(as_of)))
            .join(member, and_(within(member, child), member.on(as_of)))
            .join(
                StaffPeriod,
                and_(StaffPeriod.org_unit_id == member.org_unit_id, staff_filter(None, as_of)),
            )
            .where(children_then)
            .group_by(child.org_unit_id)
        )
    )
    rows = []
    for c, name in children_on(unit, as_of):
        held, participants, present, marked_count = sessions.get(c.id, (0, 0, 0, 0))
        staff, it_teachers = it_share.get(c.id, (0, 0))
        rows.append(
            {
                "unit": c,
                "name": name,
                "sessions": held,
                "participants": participants,
                "attendance_rate": round(100 * (present or 0) / marked_count, 1)
                if marked_count
                else None,
                "staff": staff,
                "it_teachers": it_teachers or 0,
                "it_share": round(100 * (it_teachers or 0) / staff, 1) if staff else None,
            }
        )
    return rows


def monthly_activity(unit, as_of=None, *, now=None, months=12):
    """[(month start, sessions held, attendance rate)] over the ``months`` months up to
    ``as_of`` (default today), at venues in ``unit``'s subtree as it stood on ``as_of``."""
    as_of = as_of or local_today()
    now = day_end(as_of, now)
    root = path_on(unit, as_of) or unit.path
    low, high = subtree_range(root)
    venue = aliased(OrgUnitPath)
    starts = []
    year, month = now.year, now.month
    for _month in range(months):
        starts.append(datetime(year, month, 1, tzinfo=UTC))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    starts.reverse()
    bounds = union_all(
        *(
            select(
                literal(i).label("idx"),
                literal(start).label("lo"),
                literal(starts[i + 1] if i + 1 < len(starts) else now + timedelta(days=1)).label(
                    "hi"
                ),
            )
            for i, start in enumerate(starts)
        )
    ).cte("months")
    attended = func.sum(case((Enrollment.status.in_(("present", "late")), 1), else_=0))
    marked = func.sum(case((Enrollment.status.is_not(None), 1), else_=0))
    rows = db.session.execute(
        select(bounds.c.idx, func.count(func.distinct(TrainingSession.id)), attended, marked)
        .select_from(bounds)
        .join(
            TrainingSession,
            and_(
                TrainingSession.starts_at >= bounds.c.lo,
                TrainingSession.starts_at < bounds.c.hi,
                TrainingSession.status == "held",
            ),
        )
        .join(
            venue,
            and_(
                venue.org_unit_id == TrainingSession.org_unit_id,
                venue.on(as_of),
                venue.path >= low,
                venue.path < high,
            ),
        )
        .outerjoin(Enrollment, Enrollment.session_id == TrainingSession.id)
        .group_by(bounds.c.idx)
    ).all()
    by_index = {row[0]: row[1:] for row in rows}
    result = []
    for i, start in enumerate(starts):
        held, present, marked_count = by_index.get(i, (0, 0, 0))
        result.append(
            (
                start.date(),
                held,
                round(100 * (present or 0) / marked_count, 1) if marked_count else None,
            )
        )
    return result


def activity_table(rows):
    """(header, body) of training activity's ``rows``, as the export and the report pack
    show them."""
    header = [
        _("Unit code"),
        _("Unit"),
        _("Sessions held"),
        _("Participants"),
        _("Attendance rate, percent"),
        _("Active staff"),
        _("IT teachers"),
        _("IT teachers, percent of staff"),
    ]
    body = [
        [
            r["unit"].code,
            r["name"],
            r["sessions"],
            r["participants"],
            r["attendance_rate"],
            r["staff"],
            r["it_teachers"],
            r["it_share"],
        ]
        for r in rows
    ]
    return header, body
