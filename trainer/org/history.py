"""Reading and writing the history of units and staff; the derived path table.

Imports and the reorganisation manage history themselves (``managed_history``); any other
change through the ORM is recorded here: a new unit or person gets one open period, and a
changed parent, name, unit, position or status starts a new period today.
"""

from contextlib import contextmanager

from sqlalchemy import delete, insert, inspect, or_, select, update
from sqlalchemy.orm import Session

from ..extensions import db, listen_once
from ..timeutil import local_today
from . import timeline
from .models import OrgUnit, Staff
from .periods import OrgUnitPath, OrgUnitPeriod, StaffPeriod

UNIT_FACTS = ("parent_id", "name")
STAFF_FACTS = ("org_unit_id", "position", "status")
#: the staff record's attributes every one of its periods carries a copy of (no history)
STAFF_COPIES = ("gender", "ethnicity")


@contextmanager
def managed_history(session=None):
    """Within this block the caller writes periods itself (the ORM hooks stand aside)."""
    session = session or db.session
    session.info["history_managed"] = session.info.get("history_managed", 0) + 1
    try:
        yield
    finally:
        session.info["history_managed"] -= 1


def load_lives(session=None):
    """({code: UnitLife}, {code: id}) of every unit, from the database."""
    session = session or db.session
    units = session.execute(
        select(
            OrgUnit.id, OrgUnit.code, OrgUnit.valid_from, OrgUnit.valid_to, OrgUnit.successor_code
        )
    ).all()
    code_of = {u.id: u.code for u in units}
    lives = {
        u.code: timeline.UnitLife(u.code, u.valid_from, u.valid_to, u.successor_code) for u in units
    }
    for p in session.execute(
        select(OrgUnitPeriod).order_by(
            OrgUnitPeriod.org_unit_id,
            OrgUnitPeriod.valid_from.is_not(None),
            OrgUnitPeriod.valid_from,
        )
    ).scalars():
        lives[code_of[p.org_unit_id]].periods.append(
            [p.valid_from, p.valid_to, (code_of.get(p.parent_id), p.name)]
        )
    return lives, {u.code: u.id for u in units}


def write_unit_history(lives, ids, codes, session=None):
    """Store the lives of ``codes`` (periods added or ended; unchanged rows stay) and their
    latest parent and name as the units' current state."""
    session = session or db.session
    by_id = {ids[code]: lives[code] for code in codes}
    existing = {}
    for p in session.scalars(
        select(OrgUnitPeriod).where(OrgUnitPeriod.org_unit_id.in_(list(by_id)))
    ):
        existing[(p.org_unit_id, p.valid_from, p.valid_to, p.parent_id, p.name)] = p.id
    wanted = {
        (uid, start, end, ids.get(parent) if parent else None, name)
        for uid, life in by_id.items()
        for start, end, (parent, name) in life.periods
    }
    gone = [pid for key, pid in existing.items() if key not in wanted]
    if gone:
        session.execute(delete(OrgUnitPeriod).where(OrgUnitPeriod.id.in_(gone)))
    columns = ("org_unit_id", "valid_from", "valid_to", "parent_id", "name")
    new = [dict(zip(columns, key, strict=True)) for key in wanted if key not in existing]
    if new:  # the table's INSERT: one executemany (the ORM's splits rows by their NULLs)
        session.execute(insert(OrgUnitPeriod.__table__), new)
    rows = []
    for uid, life in by_id.items():
        parent, name = life.periods[-1][2]
        rows.append(
            {
                "id": uid,
                "parent_id": ids.get(parent) if parent else None,
                "name": name,
                "valid_from": life.valid_from,
                "valid_to": life.valid_to,
                "successor_code": life.successor,
            }
        )
    if rows:
        session.execute(update(OrgUnit), rows)


def rebuild_unit_paths(session=None):
    """Recompute the derived ``org_unit_paths`` from the unit periods (only changed rows)."""
    session = session or db.session
    lives, ids = load_lives(session)
    wanted = set(timeline.path_rows(lives, ids))
    existing = {
        (r.org_unit_id, r.valid_from, r.valid_to, r.path, r.depth): r.id
        for r in session.execute(
            select(
                OrgUnitPath.id,
                OrgUnitPath.org_unit_id,
                OrgUnitPath.valid_from,
                OrgUnitPath.valid_to,
                OrgUnitPath.path,
                OrgUnitPath.depth,
            )
        )
    }
    gone = [rid for key, rid in existing.items() if key not in wanted]
    for start in range(0, len(gone), 5000):
        session.execute(delete(OrgUnitPath).where(OrgUnitPath.id.in_(gone[start : start + 5000])))
    columns = ("org_unit_id", "valid_from", "valid_to", "path", "depth")
    new = [dict(zip(columns, key, strict=True)) for key in wanted if key not in existing]
    for start in range(0, len(new), 10000):
        session.execute(insert(OrgUnitPath), new[start : start + 10000])
    return len(gone) + len(new)


def staff_periods_of(staff_ids, session=None):
    """{staff id: [[start, end, (unit id, position, status)], …]} in order."""
    session = session or db.session
    result = {sid: [] for sid in staff_ids}
    ids = list(staff_ids)
    for start in range(0, len(ids), 5000):
        for p in session.scalars(
            select(StaffPeriod)
            .where(StaffPeriod.staff_id.in_(ids[start : start + 5000]))
            .order_by(
                StaffPeriod.staff_id, StaffPeriod.valid_from.is_not(None), StaffPeriod.valid_from
            )
        ):
            result[p.staff_id].append(
                [p.valid_from, p.valid_to, (p.org_unit_id, p.position, p.status)]
            )
    return result


def write_staff_history(histories, session=None):
    """Store ``{staff id: periods}`` (changed rows only) and each person's latest unit,
    position and status as their current state; linked user accounts follow the unit. New
    period rows carry the staff record's ``STAFF_COPIES``."""
    session = session or db.session
    ids = list(histories)
    existing = {}
    for start in range(0, len(ids), 5000):
        for p in session.execute(
            select(
                StaffPeriod.id,
                StaffPeriod.staff_id,
                StaffPeriod.valid_from,
                StaffPeriod.valid_to,
                StaffPeriod.org_unit_id,
                StaffPeriod.position,
                StaffPeriod.status,
            ).where(StaffPeriod.staff_id.in_(ids[start : start + 5000]))
        ):
            existing[tuple(p[1:])] = p.id
    wanted = {
        (sid, start, end, *values)
        for sid, periods in histories.items()
        for start, end, values in periods
    }
    current = {
        row[0]: row[1:]
        for start in range(0, len(ids), 5000)
        for row in session.execute(
            select(Staff.id, *(getattr(Staff, f) for f in (*STAFF_FACTS, *STAFF_COPIES))).where(
                Staff.id.in_(ids[start : start + 5000])
            )
        )
    }
    gone = [pid for key, pid in existing.items() if key not in wanted]
    for start in range(0, len(gone), 5000):
        session.execute(delete(StaffPeriod).where(StaffPeriod.id.in_(gone[start : start + 5000])))
    columns = ("staff_id", "valid_from", "valid_to", "org_unit_id", "position", "status")
    facts = len(STAFF_FACTS)
    new = [
        dict(zip(columns, key, strict=True))
        | dict(zip(STAFF_COPIES, current[key[0]][facts:], strict=True))
        for key in wanted
        if key not in existing
    ]
    for start in range(0, len(new), 10000):
        session.execute(insert(StaffPeriod.__table__), new[start : start + 10000])
    latest = [
        {"id": sid, **dict(zip(STAFF_FACTS, periods[-1][2], strict=True))}
        for sid, periods in histories.items()
        if periods
    ]
    changed = [
        row for row in latest if tuple(row[f] for f in STAFF_FACTS) != current[row["id"]][:facts]
    ]
    for start in range(0, len(changed), 2000):
        session.execute(update(Staff), changed[start : start + 2000])
    follow_units(
        [(row["id"], current[row["id"]][0], row["org_unit_id"]) for row in changed], session
    )
    return len(gone) + len(new)


def copy_staff_attributes(staff_ids, session=None):
    """Make the ``STAFF_COPIES`` of every period of ``staff_ids`` equal the staff record's
    (after a change to them that wrote ``staff`` only): one UPDATE a batch, of the rows that
    differ."""
    session = session or db.session
    ids = list(staff_ids)
    table = StaffPeriod.__table__
    source = {
        name: select(getattr(Staff, name)).where(Staff.id == table.c.staff_id).scalar_subquery()
        for name in STAFF_COPIES
    }
    for start in range(0, len(ids), 5000):
        session.execute(
            update(table)
            .where(
                table.c.staff_id.in_(ids[start : start + 5000]),
                or_(*(table.c[name].is_distinct_from(value) for name, value in source.items())),
            )
            .values(source)
        )


def follow_units(moves, session):
    """A user linked to a staff record keeps a scope that holds the record (``moves``:
    [(staff id, old unit id, new unit id)]): an account scoped to the record's old unit
    follows it to the new one, and so does one whose wider scope no longer holds the new
    unit (a trainer transferred to another district loses the old one); a wider scope an
    admin gave that still holds it is kept. Each change is in the audit log."""
    moves = {staff_id: (old, new) for staff_id, old, new in moves if old != new}
    if not moves:
        return
    users = db.metadata.tables["users"]
    ids = list(moves)
    linked = [
        row
        for start in range(0, len(ids), 5000)
        for row in session.execute(
            select(users.c.id, users.c.staff_id, users.c.org_unit_id).where(
                users.c.staff_id.in_(ids[start : start + 5000])
            )
        )
    ]
    if not linked:
        return
    wanted = {row.org_unit_id for row in linked} | {moves[row.staff_id][1] for row in linked}
    paths = dict(
        session.execute(select(OrgUnit.id, OrgUnit.path).where(OrgUnit.id.in_(wanted))).all()
    )
    followed = []
    for row in linked:
        old, new = moves[row.staff_id]
        scope_path, new_path = paths.get(row.org_unit_id), paths.get(new) or ""
        if row.org_unit_id == old or not (scope_path and new_path.startswith(scope_path)):
            session.execute(update(users).where(users.c.id == row.id).values(org_unit_id=new))
            followed.append((row, new))
    if followed:
        entries = db.metadata.tables["audit_entries"]
        session.execute(
            insert(entries),
            [
                {
                    "action": "user.scope_follows_staff",
                    "object_type": "User",
                    "object_id": str(row.id),
                    "details": {"staff_id": row.staff_id, "from": row.org_unit_id, "to": new},
                }
                for row, new in followed
            ],
        )


def add_missing_periods(session=None):
    """One open period for every unit and person that has none (after raw bulk loads)."""
    session = session or db.session
    session.execute(
        insert(OrgUnitPeriod).from_select(
            ["org_unit_id", "valid_from", "valid_to", "parent_id", "name"],
            select(
                OrgUnit.id, OrgUnit.valid_from, OrgUnit.valid_to, OrgUnit.parent_id, OrgUnit.name
            ).where(~OrgUnit.id.in_(select(OrgUnitPeriod.org_unit_id))),
        )
    )
    session.execute(
        insert(StaffPeriod).from_select(
            ["staff_id", "valid_from", "valid_to", "org_unit_id", "position", "status"]
            + list(STAFF_COPIES),
            select(
                Staff.id,
                None,
                None,
                Staff.org_unit_id,
                Staff.position,
                Staff.status,
                *(getattr(Staff, name) for name in STAFF_COPIES),
            ).where(~Staff.id.in_(select(StaffPeriod.staff_id))),
        )
    )
    rebuild_unit_paths(session)


def _changed(obj, names):
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note_history(session, flush_context):
    copies = [s.id for s in session.dirty if isinstance(s, Staff) and _changed(s, STAFF_COPIES)]
    if copies:  # the periods' copies follow even where the caller manages the history
        session.info.setdefault("staff_copies", set()).update(copies)
    if session.info.get("history_managed"):
        return
    units = [u for u in session.new if isinstance(u, OrgUnit)]
    units += [
        u
        for u in session.dirty
        if isinstance(u, OrgUnit) and _changed(u, (*UNIT_FACTS, "valid_from", "valid_to"))
    ]
    staff = [s for s in session.new if isinstance(s, Staff)]
    staff += [s for s in session.dirty if isinstance(s, Staff) and _changed(s, STAFF_FACTS)]
    if units or staff:
        pending = session.info.setdefault("history_pending", {"units": {}, "staff": {}})
        for unit in units:
            pending["units"][unit.id] = unit in session.new
        for person in staff:
            before = inspect(person).attrs.org_unit_id.history.deleted
            pending["staff"][person.id] = (person.org_unit_id, person.position, person.status)
            if before and before[0] != person.org_unit_id:
                pending.setdefault("moves", []).append((person.id, before[0], person.org_unit_id))


def _record_history(session, flush_context):
    copies = session.info.pop("staff_copies", None)
    if copies:
        copy_staff_attributes(sorted(copies), session)
    pending = session.info.pop("history_pending", None)
    if not pending:
        return
    today = local_today()
    if pending["staff"]:
        histories = staff_periods_of(pending["staff"], session)
        for sid, values in pending["staff"].items():
            histories[sid] = timeline.insert_period(
                histories[sid], today if histories[sid] else None, values
            )
        with managed_history(session):
            write_staff_history(histories, session)
            follow_units(pending.get("moves", ()), session)
    if pending["units"]:
        lives, ids = load_lives(session)
        code_of = {uid: code for code, uid in ids.items()}
        rows = session.execute(
            select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.name).where(
                OrgUnit.id.in_(list(pending["units"]))
            )
        ).all()
        for uid, parent_id, name in rows:
            life = lives[code_of[uid]]
            values = (code_of.get(parent_id), name)
            start = None if not life.periods else max(today, life.valid_from or today)
            life.periods = timeline.clip(
                timeline.insert_period(life.periods, start, values), life.valid_from, life.valid_to
            )[0]
        with managed_history(session):
            write_unit_history(lives, ids, [code_of[uid] for uid, *_ in rows], session)
            rebuild_unit_paths(session)


def register_listeners():
    """Record ORM changes of units and staff as periods (called by ``create_app``)."""
    listen_once(Session, "after_flush", _note_history)
    listen_once(Session, "after_flush_postexec", _record_history)
