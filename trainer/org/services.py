"""Roster operations: the tree's paths, staff search and listing."""

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import aliased

from ..extensions import db
from .models import OrgUnit, Staff
from .text import fold


def rebuild_paths():
    """Recompute every unit's materialised path and depth after parents changed."""
    rows = db.session.execute(select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.path)).all()
    parent_of = {row.id: row.parent_id for row in rows}
    computed = {}

    def path_of(unit_id):
        if unit_id not in computed:
            chain, current = [], unit_id
            while current is not None and current not in computed:
                chain.append(current)
                current = parent_of[current]
            prefix = computed[current][0] if current is not None else "/"
            depth = computed[current][1] + 1 if current is not None else 0
            for uid in reversed(chain):
                prefix = f"{prefix}{uid}/"
                computed[uid] = (prefix, depth)
                depth += 1
        return computed[unit_id]

    changes = []
    for row in rows:
        path, depth = path_of(row.id)
        if path != row.path:
            changes.append({"id": row.id, "path": path, "depth": depth})
    if changes:
        db.session.execute(update(OrgUnit), changes)
    return len(changes)


def search_condition(query):
    """SQL condition matching staff whose folded name or code contains every word of ``query``."""
    words = fold(query).split()
    conditions = []
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(or_(
            Staff.search_key.like(f"%{escaped}%", escape="\\"),
            func.lower(Staff.staff_code) == word,
        ))
    return and_(*conditions) if conditions else None


def staff_query(scope, *, q=None, unit=None, position=None, status=None, certified=None,
                certified_ids=None):
    """A select of staff in ``scope`` narrowed by the list filters, ordered by name."""
    stmt = scope.staff()
    if q:
        condition = search_condition(q)
        if condition is not None:
            stmt = stmt.where(condition)
    if unit is not None:
        stmt = stmt.where(Staff.org_unit_id.in_(
            select(OrgUnit.id).where(OrgUnit.in_subtree(unit.path))))
    if position:
        stmt = stmt.where(Staff.position == position)
    if status:
        stmt = stmt.where(Staff.status == status)
    if certified is not None and certified_ids is not None:
        held = Staff.id.in_(certified_ids)
        stmt = stmt.where(held if certified else ~held)
    return stmt.order_by(Staff.search_key, Staff.staff_code)


def unit_path(unit):
    """The units from the root down to ``unit``, in one query."""
    ids = unit.ancestor_ids()
    units = {u.id: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))}
    return [units[i] for i in ids if i in units]


def children_with_counts(unit):
    """The direct children of ``unit`` with the active staff of each subtree, in one query."""
    child = aliased(OrgUnit)
    member = aliased(OrgUnit)
    upper = func.substr(child.path, 1, func.length(child.path) - 1).concat("0")
    stmt = (
        select(child, func.count(Staff.id))
        .select_from(child)
        .outerjoin(member, and_(member.path >= child.path, member.path < upper))
        .outerjoin(Staff, and_(Staff.org_unit_id == member.id, Staff.status == "active"))
        .where(child.parent_id == unit.id)
        .group_by(child.id)
        .order_by(child.name)
    )
    return db.session.execute(stmt).all()


def count_active_staff(unit):
    """Active staff in ``unit``'s subtree."""
    return db.session.scalar(
        select(func.count(Staff.id))
        .join(OrgUnit, Staff.org_unit_id == OrgUnit.id)
        .where(OrgUnit.in_subtree(unit.path), Staff.status == "active")
    )
