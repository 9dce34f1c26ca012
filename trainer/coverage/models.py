"""Certification targets per unit, level and year."""

from sqlalchemy import Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class Target(db.Model):
    """The percentage of staff of a unit's subtree who should hold a level in a year."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("org_unit_id", "level_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(db.ForeignKey("org_units.id"), index=True)
    level_id: Mapped[int] = mapped_column(db.ForeignKey("certificate_levels.id"))
    year: Mapped[int] = mapped_column()
    percent = mapped_column(Numeric(5, 2), nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    org_unit = relationship("OrgUnit")
    level = relationship("CertificateLevel")


class DataVersion(db.Model):
    """A counter bumped with every change that coverage figures depend on (see cache.py)."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
