"""A job: one long operation, who started it, where it stands and what came of it."""

from enum import StrEnum

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class JobStatus(StrEnum):
    """Where a job stands; the last three are final."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINAL = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class Job(db.Model):
    """A long operation queued for a worker; progress lives in the queue's store while it runs."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED, index=True)
    user_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"), index=True)
    org_unit_id: Mapped[int | None] = mapped_column(db.ForeignKey("org_units.id"))
    params = mapped_column(JSON, default=dict, nullable=False)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    result = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    started_at = mapped_column(UTCDateTime)
    finished_at = mapped_column(UTCDateTime)

    user = relationship("User")
    org_unit = relationship("OrgUnit")

    @property
    def final(self):
        return self.status in FINAL
