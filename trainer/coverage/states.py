"""Staff states: each active staff period cut where the highest certificate level its
person holds changes, so that a day's staff and holders are counted in one scan of one table.

A breakdown of the province counted the day's periods and tested each person against the
holders of the day (``StaffPeriod.staff_id IN (holders)``): on SQLite the list of holders and
the 15,000 probes into it were about half of the query. A state row carries its period's
unit, position and copies, the highest rank of a certificate in force on its first day
(``held_rank``, NULL: none) and, when that changes once within the row, the day it changes
(``change_on``) and the rank from then on (``changed_rank``): "certified on D for a level of
rank r" is ``(D >= change_on ? changed_rank : held_rank) >= r`` on the row that holds D.
Allowing one change a row keeps the table about as long as the periods (a certificate is
usually issued during a period, which would otherwise cut it in two), and its bounds are
never NULL (``ALWAYS`` and ``OPEN``) and its periods all active, so that the scan tests
little (SQLite's query for the province: 7.5 → 4.4 ms of CPU).

The table is derived (as ``org_unit_paths`` is from the unit periods) and never written by
hand. Triggers on ``staff_periods``, ``certificates`` and ``certificate_levels`` (migration
``h19s00000001``) note every person whose periods or certificates change, whoever writes
them, in ``staff_states_stale``; a session that wrote those tables rebuilds the noted
persons' states before it commits (``register_listeners``), so that committed data always
has its states. A reader that still finds a noted person (a writer outside a session, or
changes it has not committed yet) counts from the periods and certificates instead
(``fresh``)."""

from datetime import date, timedelta

from sqlalchemy import Integer, String, and_, any_, bindparam, case, delete, insert, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..certificates.models import Certificate
from ..curriculum.models import CertificateLevel
from ..extensions import db, listen_once
from ..org.periods import StaffPeriod
from ..pgcopy import copy_rows

#: how many persons are rebuilt per statement
BATCH = 5000
#: a state's bounds where its period has none (from always, still open)
ALWAYS, OPEN = date(1, 1, 1), date(9999, 12, 31)
#: the columns a state copies from its period
PERIOD_COLUMNS = (
    "staff_id",
    "valid_from",
    "valid_to",
    "org_unit_id",
    "position",
    "gender",
    "ethnicity",
)


class StaffState(db.Model):
    """Part of an active staff period, ``valid_from`` to ``valid_to`` (both included, as
    periods), during which its person's highest level in force changes at most once."""

    __tablename__ = "staff_states"
    __table_args__ = (
        # covering the breakdown: a day's states grouped by unit and ethnicity in index order
        # (its other personal values are read from it too)
        db.Index(
            "ix_staff_states_unit",
            "org_unit_id",
            "ethnicity",
            "valid_from",
            "valid_to",
            "held_rank",
            "change_on",
            "changed_rank",
            "gender",
            "position",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(db.ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    valid_from = mapped_column(db.Date, nullable=False)
    valid_to = mapped_column(db.Date, nullable=False)
    org_unit_id: Mapped[int] = mapped_column()
    position: Mapped[str] = mapped_column(String(32))
    gender: Mapped[str | None] = mapped_column(String(16))
    ethnicity: Mapped[str | None] = mapped_column(String(32))
    held_rank: Mapped[int | None] = mapped_column()
    change_on = mapped_column(db.Date)
    changed_rank: Mapped[int | None] = mapped_column()

    @classmethod
    def on(cls, day):
        """SQL condition: the state holds ``day``."""
        return and_(cls.valid_from <= day, cls.valid_to >= day)

    @classmethod
    def rank_on(cls, day):
        """SQL expression: the highest rank held on ``day`` (a day the state holds)."""
        return case((cls.change_on <= day, cls.changed_rank), else_=cls.held_rank)


class StaleStaffState(db.Model):
    """A person whose states no longer match their periods and certificates (written by the
    triggers, emptied by ``refresh``)."""

    __tablename__ = "staff_states_stale"

    staff_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


def in_force_span(issued_on, status, revoked_on, expires_on):
    """(first day, first day after) a certificate is in force (``held_levels.in_force_on``):
    None as the end when it stays in force; None altogether when it never is (revoked
    without a date, or on or before its issue)."""
    ends = [d for d in (expires_on, revoked_on if status == "revoked" else None) if d]
    if status == "revoked" and revoked_on is None:
        return None
    end = min(ends) if ends else None
    if end is not None and end <= issued_on:
        return None
    return issued_on, end


def states_of(period, spans):
    """The states of one active period (a dict of ``PERIOD_COLUMNS``) given its person's
    certificates as [(first day, first day after or None, rank)]: the period cut at every
    day a certificate starts or stops being in force into pieces of one highest rank (the
    rank in force on a piece's first day), then the pieces paired, each state holding two
    (the second one's rank from its first day on)."""
    start, end = period["valid_from"] or ALWAYS, period["valid_to"] or OPEN
    cuts = sorted(
        {
            day
            for first, after, _rank in spans
            for day in (first, after)
            if day is not None and start < day <= end
        }
    )
    pieces = []  # (first day, last day, rank)
    for index, first in enumerate([start, *cuts]):
        last = end if index == len(cuts) else cuts[index] - timedelta(days=1)
        rank = max(
            (
                r
                for begins, after, r in spans
                if begins <= first and (after is None or after > first)
            ),
            default=None,
        )
        if pieces and pieces[-1][2] == rank:  # a certificate replaced by one of the same rank
            pieces[-1] = (pieces[-1][0], last, rank)
        else:
            pieces.append((first, last, rank))
    states = []
    for index in range(0, len(pieces), 2):
        (first, last, rank), *then = pieces[index : index + 2]
        state = period | {"valid_from": first, "valid_to": last, "held_rank": rank}
        if then:
            change_on, last, changed = then[0]
            state |= {"valid_to": last, "change_on": change_on, "changed_rank": changed}
        else:
            state |= {"change_on": None, "changed_rank": None}
        states.append(state)
    return states


def write_states(staff_ids, connection):
    """Rebuild the states of ``staff_ids`` from their periods and certificates (a Session or
    a Connection: the migration that creates the table calls it too).

    On PostgreSQL the people are one array parameter (an ``IN`` list of 5,000 placeholders
    cost psycopg more to parse than the query took) and the states are written with COPY:
    the country's 1.5 million people in about a minute, where ``INSERT`` batches took five."""
    connection = connection if isinstance(connection, Connection) else connection.connection()
    postgresql = connection.dialect.name == "postgresql"
    ids = sorted(set(staff_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        spans = {}
        for row in connection.execute(
            select(
                Certificate.staff_id,
                Certificate.issued_on,
                Certificate.status,
                Certificate.revoked_on,
                Certificate.expires_on,
                CertificateLevel.rank,
            )
            .join(CertificateLevel, CertificateLevel.id == Certificate.level_id)
            .where(_among(Certificate.staff_id, chunk, postgresql))
        ):
            span = in_force_span(*row[1:5])
            if span is not None:
                spans.setdefault(row[0], []).append((*span, row[5]))
        rows = []
        for period in connection.execute(
            select(*(getattr(StaffPeriod, name) for name in PERIOD_COLUMNS)).where(
                _among(StaffPeriod.staff_id, chunk, postgresql), StaffPeriod.status == "active"
            )
        ):
            rows += states_of(period._asdict(), spans.get(period.staff_id, ()))
        table = StaffState.__table__
        connection.execute(delete(table).where(_among(table.c.staff_id, chunk, postgresql)))
        if postgresql:
            values = ([row[name] for name in STATE_COLUMNS] for row in rows)
            copy_rows(connection, table.name, STATE_COLUMNS, values)
        else:
            for first in range(0, len(rows), 10000):
                connection.execute(insert(table), rows[first : first + 10000])


#: the columns ``states_of`` fills, in COPY's order
STATE_COLUMNS = (*PERIOD_COLUMNS, "held_rank", "change_on", "changed_rank")


def _among(column, ids, postgresql):
    """SQL condition: ``column`` is one of ``ids``."""
    if postgresql:
        return column == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
    return column.in_(ids)


def refresh(session):
    """Rebuild the states of every person the triggers noted; returns how many."""
    table = StaleStaffState.__table__
    # in order: two sessions clearing the same noted people lock their rows in the same order
    ids = list(session.scalars(select(table.c.staff_id).order_by(table.c.staff_id)))
    if not ids:
        return 0
    postgresql = session.get_bind().dialect.name == "postgresql"
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        session.execute(delete(table).where(_among(table.c.staff_id, chunk, postgresql)))
    write_states(ids, session)
    return len(ids)


def rebuild(connection):
    """The states of everyone, from scratch (the migration, bulk loads)."""
    connection.execute(delete(StaleStaffState.__table__))
    connection.execute(delete(StaffState.__table__))
    write_states(connection.scalars(select(StaffPeriod.staff_id).distinct()).all(), connection)


def anyone_stale():
    """The query of one noted person, if any (``fresh``; the breakdown runs it on the
    driver's cursor)."""
    return select(StaleStaffState.staff_id).limit(1)


def fresh(session):
    """Whether every person's states match their periods and certificates in ``session``'s
    view (nobody noted stale)."""
    return session.scalar(anyone_stale()) is None


#: the tables whose rows the states are made from
SOURCES = {"staff_periods", "certificates", "certificate_levels"}


def _note_writes(session, flush_context, instances):
    if any(
        isinstance(obj, (StaffPeriod, Certificate, CertificateLevel))
        for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        session.info["staff_states_written"] = True


def _note_bulk(orm_execute_state):
    if orm_execute_state.is_select:
        return
    table = getattr(orm_execute_state.statement, "table", None)
    if getattr(table, "name", None) in SOURCES:
        orm_execute_state.session.info["staff_states_written"] = True


def _refresh_before_commit(session):
    if session.info.get("staff_states_written"):
        session.flush()  # before the flag goes: the flush may write more
        session.info.pop("staff_states_written", None)
        refresh(session)


def register_listeners():
    """A session that wrote periods, certificates or levels rebuilds the states they change
    before it commits (called by ``create_app``)."""
    listen_once(Session, "before_flush", _note_writes)
    listen_once(Session, "do_orm_execute", _note_bulk)
    listen_once(Session, "before_commit", _refresh_before_commit)
