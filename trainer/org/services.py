"""Roster operations: the tree's paths, staff search and listing."""

import re

from sqlalchemy import (
    Integer,
    and_,
    any_,
    cast,
    delete,
    exists,
    func,
    insert,
    inspect,
    intersect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased

from ..extensions import db, listen_once
from .attributes import KINH
from .models import OrgUnit, Staff, StaffNameWord, prefix_range, within
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
                if current in chain:  # latest parents from different dates may loop: cut
                    current = None
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


WORD = re.compile(r"\w+")


def name_words(text):
    """The distinct accent-folded words of a name (or a query), punctuation dropped."""
    return key_words(fold(text))


def key_words(search_key):
    """The distinct words of an already folded search key."""
    return sorted({word[:64] for word in WORD.findall(search_key)})


def index_staff_names(pairs, session=None):
    """Replace the search words of the staff in ``pairs`` (``[(staff_id, full_name)]``)."""
    session = session or db.session
    pairs = list(pairs)
    ids = [staff_id for staff_id, _name in pairs]
    for start in range(0, len(ids), 5000):
        session.execute(
            delete(StaffNameWord).where(StaffNameWord.staff_id.in_(ids[start : start + 5000]))
        )
    rows = [
        {"staff_id": staff_id, "word": word}
        for staff_id, name in pairs
        for word in name_words(name)
    ]
    for start in range(0, len(rows), 10000):
        session.execute(insert(StaffNameWord), rows[start : start + 10000])


def analyze_roster():
    """Refresh the planner statistics after a bulk load, so queries use the right indexes
    (the staff states first rebuilt, so that theirs describe them too)."""
    from ..coverage.states import refresh

    refresh(db.session)
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("ANALYZE staff, staff_name_words, org_units, certificates, staff_states")
        )
    else:
        db.session.execute(text("ANALYZE"))


def index_staff_codes(codes):
    """Refresh the search words of the staff with these codes (after bulk inserts/updates)."""
    codes = list(codes)
    for start in range(0, len(codes), 5000):
        pairs = db.session.execute(
            select(Staff.id, Staff.full_name).where(
                Staff.staff_code.in_(codes[start : start + 5000])
            )
        ).all()
        index_staff_names(pairs)


def _remember_renamed_staff(session, flush_context, instances):
    """Staff added or renamed through the ORM get their search words after the flush."""
    changed = [
        obj
        for obj in list(session.new) + list(session.dirty)
        if isinstance(obj, Staff)
        and (obj in session.new or inspect(obj).attrs.full_name.history.has_changes())
    ]
    if changed:
        session.info.setdefault("renamed_staff", []).extend(changed)


def _index_renamed_staff(session, flush_context):
    changed = session.info.pop("renamed_staff", None)
    if changed:
        index_staff_names([(staff.id, staff.full_name) for staff in changed], session)


def search_condition(query):
    """SQL condition: every word of ``query`` begins a word of the name (accents ignored), or
    the query begins the staff code. Both go through indexes, never a scan of all staff."""
    words = name_words(query)
    if not words:
        return None
    per_word = [
        select(StaffNameWord.staff_id).where(StaffNameWord.word >= low, StaffNameWord.word < high)
        for low, high in map(prefix_range, words)
    ]
    matches = per_word[0] if len(per_word) == 1 else intersect(*per_word)
    if db.session.get_bind().dialect.name == "postgresql":
        # As one array computed first, PostgreSQL looks the few matches up by primary key
        # instead of hashing the whole staff table.
        ids = select(func.array_agg(matches.subquery().c.staff_id)).scalar_subquery()
        by_name = Staff.id == any_(cast(ids, ARRAY(Integer)))
    else:
        by_name = Staff.id.in_(matches)
    code = query.strip().upper()
    if code and " " not in code:
        low, high = prefix_range(code)
        return or_(by_name, and_(Staff.staff_code >= low, Staff.staff_code < high))
    return by_name


def units_of_school_level(level):
    """A select of the ids of the units whose school level is ``level``: their own, else the
    nearest ancestor's that has one (as SPEC section 9 defines it for reports)."""
    member, source, closer = aliased(OrgUnit), aliased(OrgUnit), aliased(OrgUnit)
    nearer = exists().where(
        within(member, closer), closer.depth > source.depth, closer.school_level.is_not(None)
    )
    return (
        select(member.id)
        .join(source, within(member, source))
        .where(source.school_level == level, ~nearer)
    )


def ethnic_minority_condition(value):
    """SQL condition of the ethnic-minority filter: "yes" (given and not Kinh), "no" (Kinh) or
    "unknown" (not given)."""
    if value == "yes":
        return and_(Staff.ethnicity.is_not(None), Staff.ethnicity != KINH)
    if value == "no":
        return Staff.ethnicity == KINH
    return Staff.ethnicity.is_(None)


def staff_query(
    scope,
    *,
    q=None,
    unit=None,
    position=None,
    status=None,
    certified=None,
    certified_ids=None,
    ethnic_minority=None,
    school_level=None,
):
    """A select of staff in ``scope`` narrowed by the list filters, ordered by name."""
    stmt = scope.staff()
    if q:
        condition = search_condition(q)
        if condition is not None:
            stmt = stmt.where(condition)
    if unit is not None:
        stmt = stmt.where(
            Staff.org_unit_id.in_(select(OrgUnit.id).where(OrgUnit.in_subtree(unit.path)))
        )
    if position:
        stmt = stmt.where(Staff.position == position)
    if status:
        stmt = stmt.where(Staff.status == status)
    if ethnic_minority:
        stmt = stmt.where(ethnic_minority_condition(ethnic_minority))
    if school_level:
        stmt = stmt.where(Staff.org_unit_id.in_(units_of_school_level(school_level)))
    if certified is not None and certified_ids is not None:
        held = Staff.id.in_(certified_ids)
        stmt = stmt.where(held if certified else ~held)
    return stmt.order_by(Staff.sort_key, Staff.staff_code)


def unit_path(unit):
    """The units from the root down to ``unit``, in one query."""
    ids = unit.ancestor_ids()
    units = {u.id: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))}
    return [units[i] for i in ids if i in units]


def register_listeners():
    """Keep the search words of staff added or renamed through the ORM current (called by
    ``create_app``)."""
    listen_once(Session, "before_flush", _remember_renamed_staff)
    listen_once(Session, "after_flush_postexec", _index_renamed_staff)
