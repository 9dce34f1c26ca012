"""Certificates, their numbering and who issues them (modules, levels and results are the
curriculum's: ``trainer.curriculum.models``)."""

from sqlalchemy import String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UTCDateTime, utcnow
from .values import CertificateStatus

CERTIFICATE_STATUSES = tuple(s for s in CertificateStatus if s != CertificateStatus.EXPIRED)

#: Which rows the "one valid certificate of a level per person" index covers: ours (external
#: ones come from other issuers and may overlap), and valid. Written once, in SQL both
#: databases read alike, for the index and for ``ON CONFLICT`` clauses that target it.
ONE_VALID_WHERE = text("NOT external AND status = 'valid'")


class CertificateSequence(db.Model):
    """The last number used per prefix and year: numbers are never reused."""

    __tablename__ = "certificate_sequences"

    prefix: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    """A certificate held by a staff member: issued here, or external (imported)."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("issuer_key", "number"),
        # covering index: "does this person hold the level on that day" is one index probe
        db.Index(
            "ix_certificates_holding",
            "staff_id",
            "level_id",
            "issued_on",
            "status",
            "revoked_on",
            "expires_on",
        ),
        # the database itself holds the rule, also when issuers race each other
        db.Index(
            "uq_certificates_one_valid",
            "staff_id",
            "level_id",
            unique=True,
            sqlite_where=ONE_VALID_WHERE,
            postgresql_where=ONE_VALID_WHERE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), index=True)
    # "" for our own certificates, the issuer's name for external ones: numbers are unique
    # per issuer, and ours are unique among ours.
    issuer_key: Mapped[str] = mapped_column(String(255), default="")
    issuer: Mapped[str] = mapped_column(String(255), default="")
    external: Mapped[bool] = mapped_column(default=False)
    verification_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    staff_id: Mapped[int] = mapped_column(db.ForeignKey("staff.id"), index=True)
    level_id: Mapped[int] = mapped_column(db.ForeignKey("certificate_levels.id"), index=True)
    issued_on = mapped_column(db.Date, nullable=False)
    expires_on = mapped_column(db.Date)
    issued_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    printed_name: Mapped[str] = mapped_column(String(255), default="")
    printed_unit: Mapped[str] = mapped_column(String(255), default="")
    signatory_name: Mapped[str] = mapped_column(String(255), default="")
    signatory_title: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(16), default="valid")
    revoked_on = mapped_column(db.Date)
    revoked_reason: Mapped[str | None] = mapped_column(String(500))
    superseded_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("certificates.id"))
    # the design version the certificate is printed with (kept: re-rendering looks the same)
    design_version_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("certificate_design_versions.id")
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    staff = relationship("Staff")
    level = relationship("CertificateLevel")
    design_version = relationship("CertificateDesignVersion")
    superseded_by = relationship("Certificate", remote_side=[id])

    def is_expired(self, on):
        return self.expires_on is not None and self.expires_on <= on

    def state(self, on):
        """valid, revoked, superseded or expired, as the verification page shows it."""
        if self.status == "valid" and self.is_expired(on):
            return "expired"
        return self.status


class IssuingProfile(db.Model):
    """Who issues and signs the certificates of a unit's subtree (the nearest profile wins)."""

    __tablename__ = "issuing_profiles"

    org_unit_id: Mapped[int] = mapped_column(db.ForeignKey("org_units.id"), primary_key=True)
    issuer_name: Mapped[str] = mapped_column(String(255))
    signatory_name: Mapped[str] = mapped_column(String(255))
    signatory_title: Mapped[str] = mapped_column(String(255))
    place_name: Mapped[str] = mapped_column(String(100), default="")

    org_unit = relationship("OrgUnit")
