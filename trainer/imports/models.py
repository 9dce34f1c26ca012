"""Saved column mappings: how an admin told us to read the headers of a kind of roster."""

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class ImportMapping(db.Model):
    """A named mapping ("CSDL ngành") of header labels to fields for one kind of import."""

    __tablename__ = "import_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    columns = mapped_column(JSON, nullable=False)  # {header label: field, or "" to ignore}
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    def __repr__(self):
        return f"<ImportMapping {self.name}>"
