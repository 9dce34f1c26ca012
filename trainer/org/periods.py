"""What was true when: a unit's parent and name, and a staff member's unit, position and status,
each with the dates it applied (``valid_to`` is the last day; NULL bounds are open).

``org_units`` and ``staff`` keep the latest state for lists, search and scopes; these tables
keep every state. ``org_unit_paths`` is derived from the unit periods (``rebuild_history``):
the materialised path of each unit over each stretch of days on which it did not change, so
that "the subtree of U as it stood on D" stays an index range in SQL.
"""

from datetime import date

from sqlalchemy import String, and_, or_
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow
from .models import PathString

# The derived path table uses closed sentinel bounds instead of NULLs: plain comparisons.
FAR_PAST = date(1, 1, 1)
FAR_FUTURE = date(9999, 12, 31)


def covers(model, day):
    """SQL condition: the period of ``model`` (a table with nullable bounds) holds ``day``."""
    return and_(
        or_(model.valid_from.is_(None), model.valid_from <= day),
        or_(model.valid_to.is_(None), model.valid_to >= day),
    )


class OrgUnitPeriod(db.Model):
    """A unit's parent and name from ``valid_from`` to ``valid_to``."""

    __tablename__ = "org_unit_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(
        db.ForeignKey("org_units.id", ondelete="CASCADE"), index=True
    )
    valid_from = mapped_column(db.Date)
    valid_to = mapped_column(db.Date)
    parent_id: Mapped[int | None] = mapped_column(db.ForeignKey("org_units.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))


class OrgUnitPath(db.Model):
    """Derived: the materialised path of a unit over days on which it stayed the same."""

    __tablename__ = "org_unit_paths"
    __table_args__ = (
        db.Index("ix_org_unit_paths_path", "path", "valid_from", "valid_to"),
        db.Index("ix_org_unit_paths_unit", "org_unit_id", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(db.ForeignKey("org_units.id", ondelete="CASCADE"))
    valid_from = mapped_column(db.Date, nullable=False)
    valid_to = mapped_column(db.Date, nullable=False)
    path: Mapped[str] = mapped_column(PathString)
    depth: Mapped[int] = mapped_column(default=0)

    @classmethod
    def on(cls, day):
        """SQL condition: this path held on ``day``."""
        return and_(cls.valid_from <= day, cls.valid_to >= day)


class StaffPeriod(db.Model):
    """A staff member's unit, position and status from ``valid_from`` to ``valid_to``.

    ``gender`` and ``ethnicity`` are copies of the staff record's (they have no history:
    every period of a person carries the person's current values), so that the coverage
    breakdowns group the periods of a day without joining back to ``staff``. Every writer
    keeps them equal (``history.copy_staff_attributes``)."""

    __tablename__ = "staff_periods"
    __table_args__ = (
        # covering: a unit's periods of a day, counted and grouped by position, gender or
        # ethnicity, are read from the index alone (SQLite; PostgreSQL after a vacuum)
        db.Index(
            "ix_staff_periods_unit",
            "org_unit_id",
            "status",
            "position",
            "gender",
            "ethnicity",
            "staff_id",
            "valid_from",
            "valid_to",
        ),
        # covering the breakdown by ethnic minority in its GROUP BY's order (unit, ethnicity):
        # SQLite reads the day's periods already grouped instead of sorting them
        db.Index(
            "ix_staff_periods_unit_ethnicity",
            "org_unit_id",
            "ethnicity",
            "status",
            "valid_from",
            "valid_to",
            "staff_id",
        ),
        # a person's periods; on PostgreSQL it also covers the whole country's periods of a
        # day in staff_id order, merged with the certificates' holders (coverage.unit_counts)
        db.Index(
            "ix_staff_periods_staff",
            "staff_id",
            "valid_from",
            postgresql_include=["valid_to", "status", "org_unit_id", "position"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(db.ForeignKey("staff.id", ondelete="CASCADE"))
    valid_from = mapped_column(db.Date)
    valid_to = mapped_column(db.Date)
    org_unit_id: Mapped[int] = mapped_column(db.ForeignKey("org_units.id"))
    position: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    gender: Mapped[str | None] = mapped_column(String(16))
    ethnicity: Mapped[str | None] = mapped_column(String(32))


class Reorganisation(db.Model):
    """An applied reorganisation file and what undoing it restores (see reorganisation.py)."""

    __tablename__ = "reorganisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    applied_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    applied_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    # the coverage data version right after applying: undo is allowed while it is unchanged
    version_after: Mapped[int] = mapped_column()
    summary = mapped_column(db.JSON, nullable=False)
    before = mapped_column(db.JSON, nullable=False)
    undone_at = mapped_column(UTCDateTime)
