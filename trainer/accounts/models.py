"""Users and their API tokens."""

import hashlib
import secrets
from datetime import UTC, datetime
from enum import StrEnum

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class Role(StrEnum):
    """What a user is; what each role may do is the capability table in ``scope.py``."""

    ADMIN = "admin"
    MANAGER = "manager"
    TRAINER = "trainer"
    TEACHER = "teacher"


ROLES = tuple(Role)


class User(UserMixin, db.Model):
    """Someone who signs in: a role, an org-unit scope and usually a staff record."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    org_unit_id: Mapped[int | None] = mapped_column(db.ForeignKey("org_units.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff.id"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # Part of the id kept in the session cookie: raising it ends every session signed in before.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Part of the calendar feed's address: raising it retires every address given before.
    calendar_feed_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_login_at = mapped_column(UTCDateTime)

    org_unit = relationship("OrgUnit")
    staff = relationship("Staff")
    tokens = relationship("ApiToken", back_populates="user", cascade="all, delete-orphan")

    def set_password(self, password, *, one_time=False):
        """Store a salted hash of ``password``; a one-time password must be changed at sign-in."""
        setting = "ONE_TIME_PASSWORD_HASH_METHOD" if one_time else "PASSWORD_HASH_METHOD"
        method = current_app.config[setting]
        self.password_hash = generate_password_hash(password, method=method)
        self.must_change_password = one_time

    def check_password(self, password):
        """True when ``password`` matches the stored hash."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def get_id(self):
        """What the session cookie keeps: the id and the session version, e.g. ``"12.3"``."""
        return f"{self.id}.{self.session_version or 0}"

    @property
    def is_active(self):
        """Disabled users and users whose staff record is inactive cannot sign in."""
        return self.active and (self.staff is None or self.staff.status == "active")

    @property
    def display_name(self):
        if self.staff is not None:
            return self.staff.full_name
        return self.email or f"#{self.id}"

    def __repr__(self):
        return f"<User {self.email or self.id} {self.role}>"


def hash_token(token):
    """Return the SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_used_at = mapped_column(UTCDateTime)
    expires_at = mapped_column(UTCDateTime)
    revoked_at = mapped_column(UTCDateTime)

    user = relationship("User", back_populates="tokens")

    @staticmethod
    def generate():
        """Return a new random token string (shown once, never stored)."""
        return secrets.token_urlsafe(32)

    def is_usable(self, now=None):
        now = now or datetime.now(UTC)
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now
