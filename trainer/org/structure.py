"""The structure in force on a date: a unit's path, name, ancestors and children on that day,
read from the history tables (``org_unit_periods``, ``org_unit_paths``, ``staff_periods``)."""

from datetime import timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from ..extensions import db
from .models import OrgUnit, within
from .periods import OrgUnitPath, OrgUnitPeriod, StaffPeriod, covers


def path_on(unit, day):
    """``unit``'s materialised path on ``day`` (None when it was not in force)."""
    return db.session.scalar(
        select(OrgUnitPath.path).where(OrgUnitPath.org_unit_id == unit.id, OrgUnitPath.on(day))
    )


def children_on(unit, day):
    """[(child unit, its name on ``day``)] of the units under ``unit`` on ``day``."""
    return db.session.execute(
        select(OrgUnit, OrgUnitPeriod.name)
        .join(OrgUnitPeriod, OrgUnitPeriod.org_unit_id == OrgUnit.id)
        .where(OrgUnitPeriod.parent_id == unit.id, covers(OrgUnitPeriod, day))
        .order_by(OrgUnitPeriod.name)
    ).all()


def name_on(unit, day):
    """``unit``'s name on ``day`` (its latest name when it was not in force)."""
    return (
        db.session.scalar(
            select(OrgUnitPeriod.name).where(
                OrgUnitPeriod.org_unit_id == unit.id, covers(OrgUnitPeriod, day)
            )
        )
        or unit.name
    )


def ancestors_on(unit_ids, day):
    """{unit id: [ids from the root down to it]} on ``day``."""
    rows = db.session.execute(
        select(OrgUnitPath.org_unit_id, OrgUnitPath.path).where(
            OrgUnitPath.org_unit_id.in_(list(unit_ids)), OrgUnitPath.on(day)
        )
    )
    return {uid: [int(part) for part in path.strip("/").split("/")] for uid, path in rows}


def path_units_on(unit, day):
    """[(unit, its name on ``day``)] from the root down to ``unit`` as the tree stood on
    ``day``; today's path and names when ``unit`` was not in force then."""
    ids = ancestors_on([unit.id], day).get(unit.id)
    if ids is None:
        ids = unit.ancestor_ids()
        found = {
            u.id: (u, u.name)
            for u in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))
        }
        return [found[i] for i in ids if i in found]
    rows = db.session.execute(
        select(OrgUnit, OrgUnitPeriod.name)
        .join(OrgUnitPeriod, OrgUnitPeriod.org_unit_id == OrgUnit.id)
        .where(OrgUnit.id.in_(ids), covers(OrgUnitPeriod, day))
    ).all()
    found = {u.id: (u, name) for u, name in rows}
    return [found[i] for i in ids if i in found]


def active_staff_by_child(unit, day):
    """{child id (or ``unit.id`` for the unit's own staff): active staff on ``day``} in the
    subtree of each child of ``unit`` as it stood on ``day``: one query."""
    child, member = aliased(OrgUnitPath), aliased(OrgUnitPath)
    active = and_(covers(StaffPeriod, day), StaffPeriod.status == "active")
    below = (
        select(child.org_unit_id, func.count(StaffPeriod.id))
        .select_from(OrgUnitPeriod)
        .join(child, and_(child.org_unit_id == OrgUnitPeriod.org_unit_id, child.on(day)))
        .join(member, and_(within(member, child), member.on(day)))
        .join(StaffPeriod, and_(StaffPeriod.org_unit_id == member.org_unit_id, active))
        .where(OrgUnitPeriod.parent_id == unit.id, covers(OrgUnitPeriod, day))
        .group_by(child.org_unit_id)
    )
    own = select(func.count(StaffPeriod.id)).where(StaffPeriod.org_unit_id == unit.id, active)
    counts = dict(db.session.execute(below).all())
    counts[unit.id] = db.session.scalar(own) or 0
    return counts


def successor_of(unit):
    """The unit ``unit`` closed into (None when it has no successor)."""
    if not unit.successor_code:
        return None
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == unit.successor_code))


def end_of_life(unit):
    """The first day ``unit`` is no longer in force (None while it is open)."""
    return unit.valid_to + timedelta(days=1) if unit.valid_to else None
