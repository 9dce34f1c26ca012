"""A reorganisation as one operation (SPEC §9): units move, close into a successor or are
renamed on a date; whatever is still under a closing unit goes to its successor.

Planned in memory over the whole history (``timeline``), checked whole, previewed, applied in
one transaction, and undoable while nothing else changed: what it replaced is kept.
"""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, delete, func, insert, select, update

from .. import audit
from ..extensions import db
from ..models_base import utcnow
from . import timeline
from .history import (
    copy_staff_attributes,
    load_lives,
    managed_history,
    rebuild_unit_paths,
    staff_periods_of,
    write_staff_history,
    write_unit_history,
)
from .models import OrgUnit, Staff
from .periods import OrgUnitPeriod, Reorganisation, StaffPeriod, covers
from .services import rebuild_paths

ORDER = {"rename": 0, "move": 1, "close": 2}  # on one date: names, then moves, then closes


class ReorganisationPlan:
    """The history after the changes, the staff periods they add, and the preview."""

    def __init__(self, lives, ids):
        self.lives, self.ids = lives, ids
        self.touched, self.staff, self.problems = set(), {}, []
        self.receiving = {}  # to_code -> {"units": [...], "staff": n}
        self.closing = []  # [(code, last day, successor)]
        self.people, self.stored = {}, {}  # staff of the closing units; their stored periods
        # every code that has (or had, in the plan) a period under a parent: the candidates
        # for "the units under X on D", so that no step scans the whole province
        self.position = {code: i for i, code in enumerate(lives)}
        self.children = {}
        for code, life in lives.items():
            for _start, _end, (parent, _name) in life.periods:
                self.children.setdefault(parent, set()).add(code)

    def set_parent(self, life, on, parent, name):
        """``life`` has ``parent`` and ``name`` from ``on`` (later known changes kept)."""
        life.periods = timeline.insert_period(life.periods, on, (parent, name))
        self.children.setdefault(parent, set()).add(life.code)

    def children_on(self, code, day):
        """The codes under ``code`` on ``day``, in the order of ``lives``."""
        found = []
        for other in self.children.get(code, ()):
            values = timeline.value_on(self.lives[other].periods, day)
            if values is not None and values[0] == code:
                found.append(other)
        return sorted(found, key=self.position.__getitem__)


def plan_changes(changes):
    """Apply ``changes`` [(row, code, action, on, to_code, name)] to the history in memory;
    problems are (row, column, kind, details) for the caller to report."""
    lives, ids = load_lives()
    plan = ReorganisationPlan(lives, ids)
    active = active_staff_by_unit({on for _r, _c, _a, on, _t, _n in changes})
    plan.people = staff_of_closing(changes, ids)
    plan.stored = staff_periods_of(sorted({p for ps in plan.people.values() for p in ps}))
    for row, code, action, on, to_code, name in sorted(
        changes, key=lambda c: (c[3], ORDER[c[2]], c[0])
    ):
        life = lives[code]
        current = timeline.value_on(life.periods, on)
        if current is None:
            plan.problems.append((row, "on", "not_in_force", {"code": code, "day": on}))
            continue
        plan.touched.add(code)
        if action == "rename":
            plan.set_parent(life, on, current[0], name)
        elif action == "move":
            plan.set_parent(life, on, to_code, current[1])
            receive(plan, to_code, code, subtree_staff(plan, code, on, active))
        else:
            close(plan, life, on, to_code, active)
    return plan


def receive(plan, to_code, code, staff):
    entry = plan.receiving.setdefault(to_code, {"units": [], "staff": 0})
    entry["units"].append(code)
    entry["staff"] += staff


def close(plan, life, on, to_code, active):
    """The unit's last day is the day before ``on``; its units and staff go to ``to_code``."""
    life.valid_to, life.successor = on - timeline.DAY, to_code
    life.periods = timeline.clip(life.periods, life.valid_from, life.valid_to)[0]
    plan.closing.append((life.code, life.valid_to, to_code))
    for code in plan.children_on(life.code, on):
        other = plan.lives[code]
        values = timeline.value_on(other.periods, on)
        plan.set_parent(other, on, to_code, values[1])
        plan.touched.add(other.code)
        receive(plan, to_code, other.code, subtree_staff(plan, other.code, on, active))
    unit_id, to_id = plan.ids[life.code], plan.ids[to_code]
    people = plan.people.get((unit_id, on), ())
    for person in people:
        if person not in plan.staff:
            plan.staff[person] = plan.stored[person]
    for person in people:
        values = timeline.value_on(plan.staff[person], on)
        plan.staff[person] = timeline.insert_period(
            plan.staff[person], on, (to_id, values[1], values[2])
        )
    entry = plan.receiving.setdefault(to_code, {"units": [], "staff": 0})
    entry["units"].append(life.code)
    entry["staff"] += active.get(on, {}).get(unit_id, 0)


def staff_of_closing(changes, ids):
    """{(unit id, day): [staff ids with a period in the unit on the day]} for the units that
    ``changes`` close, as the roster is now: one query a day, not one a closing unit."""
    wanted = {}
    for _r, code, action, on, _t, _n in changes:
        if action == "close" and code in ids:
            wanted.setdefault(on, set()).add(ids[code])
    result = {}
    for day, units in wanted.items():
        units = sorted(units)
        for start in range(0, len(units), 5000):
            for staff_id, unit_id in db.session.execute(
                select(StaffPeriod.staff_id, StaffPeriod.org_unit_id).where(
                    StaffPeriod.org_unit_id.in_(units[start : start + 5000]),
                    covers(StaffPeriod, day),
                )
            ):
                result.setdefault((unit_id, day), []).append(staff_id)
    return result


def active_staff_by_unit(days):
    """{day: {unit id: active staff on that day}} from the roster as it is now."""
    result = {}
    for day in days:
        result[day] = dict(
            db.session.execute(
                select(StaffPeriod.org_unit_id, func.count(StaffPeriod.id))
                .where(covers(StaffPeriod, day), StaffPeriod.status == "active")
                .group_by(StaffPeriod.org_unit_id)
            ).all()
        )
    return result


def subtree_staff(plan, code, day, active):
    """Active staff on ``day`` in ``code``'s subtree as the plan now has it: the units reached
    from ``code`` down through the children index (a loop in the tree falls back to the
    paths of the whole tree on that day, which break loops the way the path table does)."""
    if timeline.value_on(plan.lives[code].periods, day) is None:
        return 0
    counts = active.get(day, {})
    seen, todo = {code}, [code]
    while todo:
        for child in plan.children_on(todo.pop(), day):
            if child in seen:
                return subtree_staff_by_paths(plan, code, day, active)
            seen.add(child)
            todo.append(child)
    return sum(counts.get(plan.ids[c], 0) for c in seen)


def subtree_staff_by_paths(plan, code, day, active):
    """``subtree_staff`` over the paths of every unit in force on ``day``."""
    parents = timeline.parents_on(plan.lives, day)
    paths = timeline.paths_on(parents, plan.ids)
    if code not in paths:
        return 0
    root = paths[code][0]
    counts = active.get(day, {})
    return sum(
        counts.get(plan.ids[c], 0) for c, (path, _d) in paths.items() if path.startswith(root)
    )


# --- applying and undoing -------------------------------------------------------------------

SNAPSHOT = {
    "org_units": (OrgUnit, ("id", "parent_id", "name", "valid_from", "valid_to", "successor_code")),
    "staff": (Staff, ("id", "org_unit_id", "position", "status", "updated_at")),
}


def encode(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def rows_of(table, condition):
    return [
        {k: encode(v) for k, v in row._mapping.items()}
        for row in db.session.execute(select(table).where(condition))
    ]


def decode(table, rows):
    result = []
    for row in rows:
        item = {}
        for key, value in row.items():
            kind = getattr(table.c[key].type, "impl", table.c[key].type)
            if value is not None and isinstance(kind, DateTime):
                value = datetime.fromisoformat(value)
            elif value is not None and isinstance(kind, Date):
                value = date.fromisoformat(value)
            item[key] = value
        result.append(item)
    return result


def snapshot(unit_ids, staff_ids):
    """Everything the reorganisation may change, as JSON-ready rows."""
    units_t, staff_t = OrgUnit.__table__, Staff.__table__
    users_t = db.metadata.tables["users"]
    return {
        "unit_ids": unit_ids,
        "staff_ids": staff_ids,
        "org_units": [
            {k: encode(v) for k, v in row._mapping.items()}
            for row in db.session.execute(
                select(*(units_t.c[c] for c in SNAPSHOT["org_units"][1])).where(
                    units_t.c.id.in_(unit_ids)
                )
            )
        ],
        "org_unit_periods": rows_of(
            OrgUnitPeriod.__table__, OrgUnitPeriod.org_unit_id.in_(unit_ids)
        ),
        "staff": [
            {k: encode(v) for k, v in row._mapping.items()}
            for row in db.session.execute(
                select(*(staff_t.c[c] for c in SNAPSHOT["staff"][1])).where(
                    staff_t.c.id.in_(staff_ids)
                )
            )
        ],
        "staff_periods": rows_of(StaffPeriod.__table__, StaffPeriod.staff_id.in_(staff_ids)),
        "users": [
            dict(row._mapping)
            for row in db.session.execute(
                select(users_t.c.id, users_t.c.org_unit_id).where(users_t.c.staff_id.in_(staff_ids))
            )
        ],
    }


def apply_plan(plan, *, filename, actor=None, summary=None):
    """Write the plan in the current transaction and keep what undoing it needs."""
    unit_ids = sorted(plan.ids[code] for code in plan.touched)
    before = snapshot(unit_ids, sorted(plan.staff))
    with managed_history():
        write_unit_history(plan.lives, plan.ids, sorted(plan.touched))
        write_staff_history(plan.staff)
        rebuild_paths()
        rebuild_unit_paths()
    db.session.flush()
    record = Reorganisation(
        filename=filename,
        applied_by_id=getattr(actor, "id", None),
        version_after=0,
        summary=summary or {},
        before=before,
    )
    db.session.add(record)
    db.session.flush()
    record.version_after = data_version()
    db.session.flush()
    db.session.expire_all()
    return record


def data_version():
    """The coverage data version (bumped by every change to units, staff, certificates …)."""
    versions = db.metadata.tables["data_versions"]
    return db.session.scalar(select(versions.c.version).where(versions.c.name == "coverage"))


class UndoRefused(Exception):
    """Something changed since the reorganisation (or it was undone already)."""


def undo(record, *, actor=None):
    """Restore exactly what ``record`` replaced, if nothing changed since it was applied."""
    if record.undone_at is not None or data_version() != record.version_after:
        raise UndoRefused()
    before = record.before
    units_t, staff_t = OrgUnit.__table__, Staff.__table__
    with managed_history():
        db.session.execute(
            delete(OrgUnitPeriod).where(OrgUnitPeriod.org_unit_id.in_(before["unit_ids"]))
        )
        db.session.execute(delete(StaffPeriod).where(StaffPeriod.staff_id.in_(before["staff_ids"])))
        if before["org_unit_periods"]:
            db.session.execute(
                insert(OrgUnitPeriod.__table__),
                decode(OrgUnitPeriod.__table__, before["org_unit_periods"]),
            )
        if before["staff_periods"]:
            db.session.execute(
                insert(StaffPeriod.__table__),
                decode(StaffPeriod.__table__, before["staff_periods"]),
            )
        for row in decode(units_t, before["org_units"]):
            db.session.execute(update(units_t).where(units_t.c.id == row.pop("id")).values(row))
        for row in decode(staff_t, before["staff"]):
            db.session.execute(update(staff_t).where(staff_t.c.id == row.pop("id")).values(row))
        # periods saved before they carried copies of gender and ethnicity get them again
        copy_staff_attributes(before["staff_ids"])
        users_t = db.metadata.tables["users"]
        for row in before["users"]:
            db.session.execute(
                update(users_t)
                .where(users_t.c.id == row["id"])
                .values(org_unit_id=row["org_unit_id"])
            )
        rebuild_paths()
        rebuild_unit_paths()
    record.undone_at = utcnow()
    db.session.flush()
    audit.record(
        "reorganisation.undo",
        user=actor,
        object_type="reorganisation",
        object_id=str(record.id),
        filename=record.filename,
    )
    db.session.expire_all()
