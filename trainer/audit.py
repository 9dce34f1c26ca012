"""The audit log: who did what to which object, and when."""

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .models_base import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One recorded action."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(128))
    details = mapped_column(JSON, default=dict, nullable=False)

    user = relationship("User")


def record(action, obj=None, *, user=None, object_type=None, object_id=None, **details):
    """Add an audit entry for ``action`` on ``obj`` (or the given type and id); flushes nothing."""
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    entry = AuditEntry(
        action=action,
        user_id=getattr(user, "id", None),
        object_type=object_type or "",
        object_id=None if object_id is None else str(object_id),
        details=details,
    )
    db.session.add(entry)
    return entry
