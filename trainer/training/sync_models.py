"""Marks made on a device without a connection, remembered by their device-made id."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow

SYNC_KINDS = ("attendance", "result")
SYNC_OUTCOMES = ("applied", "superseded", "refused")


class DeviceSubmission(db.Model):
    """One item sent by a device: applied at most once, whatever how often it arrives."""

    __tablename__ = "device_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), unique=True)  # the device's UUID
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("training_sessions.id"), index=True
    )
    staff_code: Mapped[str] = mapped_column(String(64))
    device_at = mapped_column(UTCDateTime, nullable=False)
    received_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(64))
