"""Certificate designs: a scope (unit subtree, level) and immutable, numbered versions."""

from sqlalchemy import LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UTCDateTime, utcnow
from .design_spec import DesignSpec


class CertificateDesign(db.Model):
    """What certificates of a unit's subtree and a level look like (the nearest one wins).

    No unit means the whole province, no level every level."""

    __tablename__ = "certificate_designs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    org_unit_id: Mapped[int | None] = mapped_column(db.ForeignKey("org_units.id"), index=True)
    level_id: Mapped[int | None] = mapped_column(db.ForeignKey("certificate_levels.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    org_unit = relationship("OrgUnit")
    level = relationship("CertificateLevel")
    versions = relationship(
        "CertificateDesignVersion",
        back_populates="design",
        order_by="CertificateDesignVersion.version",
    )

    @property
    def current(self):
        return self.versions[-1] if self.versions else None


class CertificateDesignVersion(db.Model):
    """One saved state of a design; never changed once written (certificates point at it)."""

    __tablename__ = "certificate_design_versions"
    __table_args__ = (UniqueConstraint("design_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    design_id: Mapped[int] = mapped_column(db.ForeignKey("certificate_designs.id"))
    version: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(120))
    subtitle: Mapped[str] = mapped_column(String(120), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # one sentence per line
    orientation: Mapped[str] = mapped_column(String(16), default="landscape")
    colour_primary: Mapped[str] = mapped_column(String(7))
    colour_accent: Mapped[str] = mapped_column(String(7))
    colour_title: Mapped[str] = mapped_column(String(7))
    colour_text: Mapped[str] = mapped_column(String(7))
    blocks: Mapped[str] = mapped_column(String(120), default="")  # comma-separated
    emblem_image: Mapped[str | None] = mapped_column(db.ForeignKey("design_images.sha256"))
    signature_image: Mapped[str | None] = mapped_column(db.ForeignKey("design_images.sha256"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))

    design = relationship("CertificateDesign", back_populates="versions")

    def spec(self):
        """The design as the renderer reads it."""
        return DesignSpec(
            title=self.title,
            subtitle=self.subtitle,
            body=tuple(line for line in self.body.splitlines() if line.strip()),
            orientation=self.orientation,
            colours={
                "primary": self.colour_primary,
                "accent": self.colour_accent,
                "title": self.colour_title,
                "text": self.colour_text,
            },
            blocks=tuple(b for b in self.blocks.split(",") if b),
            emblem_image=self.emblem_image,
            signature_image=self.signature_image,
        )


class DesignImage(db.Model):
    """An emblem, logo or signature image (PNG, or SVG after sanitising), by content hash."""

    __tablename__ = "design_images"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(32))
    data = mapped_column(LargeBinary, nullable=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
