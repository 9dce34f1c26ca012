"""Training sessions, enrolments (with attendance) and requests for a place."""

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UTCDateTime, utcnow
from .values import AttendanceStatus, RequestStatus, SessionStatus

SESSION_STATUSES = tuple(SessionStatus)
ATTENDANCE_STATUSES = tuple(AttendanceStatus)
REQUEST_STATUSES = tuple(RequestStatus)


class TrainingSession(db.Model):
    """A training session of one module, led by a trainer at a venue."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint("enrolled_count <= capacity", name="capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(db.ForeignKey("modules.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    trainer_id: Mapped[int] = mapped_column(db.ForeignKey("staff.id"), index=True)
    org_unit_id: Mapped[int] = mapped_column(db.ForeignKey("org_units.id"), index=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    starts_at = mapped_column(UTCDateTime, nullable=False, index=True)
    ends_at = mapped_column(UTCDateTime, nullable=False)
    capacity: Mapped[int] = mapped_column(default=30)
    # Kept by the same UPDATE that admits new enrolments, so that capacity holds under races.
    enrolled_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="scheduled", index=True)
    series_key: Mapped[str | None] = mapped_column(String(32), index=True)
    late_after_minutes: Mapped[int] = mapped_column(default=10)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    module = relationship("Module")
    trainer = relationship("Staff", foreign_keys=[trainer_id])
    org_unit = relationship("OrgUnit")
    enrollments = relationship("Enrollment", back_populates="session", cascade="all, delete-orphan")

    @property
    def places_left(self):
        return max(0, self.capacity - self.enrolled_count)


class Enrollment(db.Model):
    """A staff member on a session's roster, with their attendance once marked."""

    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("session_id", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(db.ForeignKey("training_sessions.id"), index=True)
    staff_id: Mapped[int] = mapped_column(db.ForeignKey("staff.id"), index=True)
    status: Mapped[str | None] = mapped_column(String(16))
    marked_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    marked_at = mapped_column(UTCDateTime)
    checked_in_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    session = relationship("TrainingSession", back_populates="enrollments")
    staff = relationship("Staff")


class PlaceRequest(db.Model):
    """A teacher asking for a place on a session; the trainer accepts or declines."""

    __tablename__ = "place_requests"
    __table_args__ = (UniqueConstraint("session_id", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(db.ForeignKey("training_sessions.id"), index=True)
    staff_id: Mapped[int] = mapped_column(db.ForeignKey("staff.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str | None] = mapped_column(String(500))
    decided_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    decided_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    session = relationship("TrainingSession")
    staff = relationship("Staff")
