"""Curriculum modules, certificate levels with their modules, and assessment results."""

from sqlalchemy import Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class Module(db.Model):
    """A unit of the curriculum (IU01–IU15 of Circular 03/2014/TT-BTTTT, digital-skills topics)."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_vi: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))
    group: Mapped[str] = mapped_column(String(16), default="basic")  # basic, advanced, digital
    pass_score: Mapped[int] = mapped_column(default=50)
    sort_order: Mapped[int] = mapped_column(default=0)

    def name(self, locale="vi"):
        return self.name_en if str(locale).startswith("en") else self.name_vi


class LevelModule(db.Model):
    """A module of a level, required or elective."""

    __tablename__ = "level_modules"

    level_id: Mapped[int] = mapped_column(db.ForeignKey("certificate_levels.id"), primary_key=True)
    module_id: Mapped[int] = mapped_column(db.ForeignKey("modules.id"), primary_key=True)
    required: Mapped[bool] = mapped_column(default=True)

    module = relationship("Module")


class CertificateLevel(db.Model):
    """A certificate level: required modules, electives with a minimum, an optional prerequisite."""

    __tablename__ = "certificate_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_vi: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))
    rank: Mapped[int] = mapped_column(default=1)
    min_electives: Mapped[int] = mapped_column(default=0)
    prerequisite_id: Mapped[int | None] = mapped_column(db.ForeignKey("certificate_levels.id"))

    prerequisite = relationship("CertificateLevel", remote_side=[id])
    level_modules = relationship("LevelModule", cascade="all, delete-orphan")

    def name(self, locale="vi"):
        return self.name_en if str(locale).startswith("en") else self.name_vi

    @property
    def required_modules(self):
        return sorted((lm.module for lm in self.level_modules if lm.required), key=_module_order)

    @property
    def elective_modules(self):
        electives = (lm.module for lm in self.level_modules if not lm.required)
        return sorted(electives, key=_module_order)


def _module_order(module):
    return (module.sort_order, module.code)


class Result(db.Model):
    """An assessment score of a staff member in a module."""

    __tablename__ = "results"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(db.ForeignKey("staff.id"), index=True)
    module_id: Mapped[int] = mapped_column(db.ForeignKey("modules.id"), index=True)
    score = mapped_column(Numeric(5, 2), nullable=False)
    assessed_on = mapped_column(db.Date, nullable=False)
    recorded_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    staff = relationship("Staff")
    module = relationship("Module")
