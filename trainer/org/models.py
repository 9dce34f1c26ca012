"""Org units (a materialised-path tree) and staff members."""

from sqlalchemy import String, and_, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UTCDateTime, utcnow
from .attributes import is_ethnic_minority
from .text import clean_name, fold, name_sort_key
from .values import Gender, Position, StaffStatus, UnitKind

# Folded words and paths must sort byte by byte for prefix ranges to be exact; PostgreSQL's
# default collation may ignore punctuation, so these columns use the "C" collation there.
PathString = String(1024).with_variant(String(1024, collation="C"), "postgresql")
WordString = String(64).with_variant(String(64, collation="C"), "postgresql")

UNIT_KINDS = tuple(UnitKind)
POSITIONS = tuple(Position)
GENDERS = tuple(Gender)
STAFF_STATUSES = tuple(StaffStatus)


def prefix_range(prefix):
    """(low, high) bounds holding exactly the strings that start with ``prefix`` (byte order)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def subtree_range(path):
    """Return the (low, high) bounds holding exactly the paths that start with ``path``."""
    # Every path ends in "/"; "0" is the character right after "/", so [path, path[:-1]+"0")
    # contains precisely the strings that begin with ``path``.
    return path, path[:-1] + "0"


def within(member, root):
    """SQL join condition: unit ``member`` lies in the subtree of unit ``root`` (both aliases
    of ``OrgUnit``, ``root`` usually a row of the query): ``subtree_range`` in SQL, so one
    index range per root."""
    upper = func.substr(root.path, 1, func.length(root.path) - 1).concat("0")
    return and_(member.path >= root.path, member.path < upper)


class OrgUnit(db.Model):
    """A unit of the province: province, district, commune, school or other office."""

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32), default="school")
    parent_id: Mapped[int | None] = mapped_column(db.ForeignKey("org_units.id"), index=True)
    path: Mapped[str] = mapped_column(PathString, index=True, default="")
    depth: Mapped[int] = mapped_column(default=0)
    moet_id: Mapped[str | None] = mapped_column(String(32), unique=True)  # Mã định danh Bộ GD&ĐT
    school_level: Mapped[str | None] = mapped_column(String(16))  # a SchoolLevel code
    disadvantaged: Mapped[bool | None] = mapped_column()  # in an extremely difficult area
    # in force from valid_from to valid_to (its last day); NULL = open on that side
    valid_from = mapped_column(db.Date)
    valid_to = mapped_column(db.Date)
    successor_code: Mapped[str | None] = mapped_column(String(64))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    parent = relationship("OrgUnit", remote_side=[id], back_populates="children")
    children = relationship("OrgUnit", back_populates="parent", order_by="OrgUnit.name")

    def set_path(self):
        """Compute ``path`` and ``depth`` from the parent; the row must have an id."""
        if self.parent is None:
            self.path, self.depth = f"/{self.id}/", 0
        else:
            self.path, self.depth = f"{self.parent.path}{self.id}/", self.parent.depth + 1

    @classmethod
    def in_subtree(cls, path):
        """SQL condition: the unit lies in the subtree whose root has ``path``."""
        low, high = subtree_range(path)
        return and_(cls.path >= low, cls.path < high)

    def in_force(self, day):
        """True when the unit exists on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def is_within(self, other):
        """True when this unit is ``other`` or one of its descendants."""
        return self.path.startswith(other.path)

    def ancestor_ids(self):
        """Ids of the units from the root down to this one, this one included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def __repr__(self):
        return f"<OrgUnit {self.code}>"


class Staff(db.Model):
    """A member of staff of the province's schools and offices."""

    __tablename__ = "staff"
    # covering index: coverage counts active staff per unit without touching the table
    __table_args__ = (db.Index("ix_staff_active_unit", "status", "org_unit_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_code: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    search_key: Mapped[str] = mapped_column(String(255), index=True)
    # lists and sheets sort by it: Vietnamese order, by given name first (text.name_sort_key)
    sort_key: Mapped[str] = mapped_column(String(1000), index=True)
    org_unit_id: Mapped[int] = mapped_column(db.ForeignKey("org_units.id"), index=True)
    position: Mapped[str] = mapped_column(String(32), default="teacher")
    gender: Mapped[str | None] = mapped_column(String(16))
    birth_date = mapped_column(db.Date)  # named as in the import format of SPEC section 4
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    moet_id: Mapped[str | None] = mapped_column(String(32), unique=True)  # Mã định danh Bộ GD&ĐT
    ethnicity: Mapped[str | None] = mapped_column(String(32))  # one of ETHNIC_GROUPS
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    org_unit = relationship("OrgUnit")

    def __init__(self, **kwargs):
        name = kwargs.pop("full_name", None)
        super().__init__(**kwargs)
        if name is not None:
            self.rename(name)

    def rename(self, full_name):
        """Set the name (stored NFC), its accent-folded search key and its sort key together."""
        self.full_name = clean_name(full_name)
        self.search_key = fold(self.full_name)
        self.sort_key = name_sort_key(self.full_name)

    @property
    def is_active(self):
        return self.status == "active"

    @property
    def ethnic_minority(self):
        """True/False when the ethnicity is known (not Kinh / Kinh), else None."""
        return is_ethnic_minority(self.ethnicity)

    def __repr__(self):
        return f"<Staff {self.staff_code}>"


class StaffNameWord(db.Model):
    """One accent-folded word of a staff member's name: prefix searches use its index."""

    __tablename__ = "staff_name_words"

    word: Mapped[str] = mapped_column(WordString, primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        db.ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True, index=True
    )
