"""Account operations: sign-in checks, user creation, passwords and API tokens."""

import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from .. import audit
from ..errors import Conflict, InvalidInput
from ..extensions import db
from ..org.models import OrgUnit, Staff
from .models import ROLES, ApiToken, User, hash_token
from .scope import Capability, role_can
from .values import PasswordRefused

MIN_PASSWORD_LENGTH = 10
TOKEN_USE_RESOLUTION = timedelta(minutes=5)


def find_user(identifier):
    """Return the user whose email or staff code is ``identifier``, or None."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        return db.session.scalar(select(User).where(func.lower(User.email) == identifier.lower()))
    return db.session.scalar(
        select(User).join(Staff, User.staff_id == Staff.id).where(Staff.staff_code == identifier)
    )


_DUMMY_HASHES = {}


def spend_a_password_check(password):
    """Check ``password`` against a hash of nothing, with the configured method: an unknown
    account then costs as much time as a known one, and the answer time does not tell
    whether an account exists."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    check_password_hash(_DUMMY_HASHES[method], password or "")


def authenticate(identifier, password):
    """Return the active user matching the credentials, or None (never says which part failed,
    and takes the same work either way)."""
    user = find_user(identifier)
    if user is None or not user.password_hash:
        spend_a_password_check(password)
        return None
    if not user.check_password(password or "") or not user.is_active:
        return None
    user.last_login_at = datetime.now(UTC)
    return user


# The most used passwords of ten characters or more (public breach lists), and local ones.
COMMON_PASSWORDS = frozenset(
    """
1234567890 0123456789 12345678910 1234567891 0987654321 1111111111 0000000000 1234512345
qwertyuiop password123 password12 password1234 iloveyou12 qwerty1234 1q2w3e4r5t abc1234567
abcd123456 a123456789 123456789a 1234567890a asdfghjkl1 zxcvbnm123 passw0rd12 p@ssw0rd12
administrator admin12345 admin@123456 welcome123 changeme123 letmein123 sunshine12 football12
matkhau123 matkhau1234 123456aA@ dienbien123 dienbien2024 dienbien2025 dienbien2026
giaovien123 giaovien1234 vietnam123 vietnam1234 truonghoc123 hocsinh123 taikhoan123
""".split()
)


def check_password_rules(password):
    """Raise ``InvalidInput`` when ``password`` is too weak to keep."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(PasswordRefused.TOO_SHORT, minimum=MIN_PASSWORD_LENGTH)
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        raise InvalidInput(PasswordRefused.TOO_COMMON)


def create_user(*, email, password, role, org_code=None, staff_code=None, actor=None):
    """Create a user; raise ``InvalidInput`` or ``Conflict`` with the reason, writing nothing."""
    if role not in ROLES:
        raise InvalidInput("unknown_role", role=role, allowed=list(ROLES))
    email = (email or "").strip().lower() or None
    unit = staff = None
    if org_code:
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == org_code))
        if unit is None:
            raise InvalidInput("unknown_org", org=org_code)
    if staff_code:
        staff = db.session.scalar(select(Staff).where(Staff.staff_code == staff_code))
        if staff is None:
            raise InvalidInput("unknown_staff", staff=staff_code)
        if db.session.scalar(select(User.id).where(User.staff_id == staff.id)):
            raise Conflict("staff_has_account", staff=staff_code)
        unit = unit or staff.org_unit
    if role_can(role, Capability.SEE_SUBTREE) and unit is None:
        raise InvalidInput("role_needs_org", role=role)
    if role_can(role, Capability.OWN_RECORD) and staff is None:
        raise InvalidInput("role_needs_staff", role=role)
    if email is None and staff is None:
        raise InvalidInput("needs_email_or_staff")
    if email and db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise Conflict("email_taken", email=email)
    check_password_rules(password)
    user = User(email=email, role=role, org_unit=unit, staff=staff)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user.create",
        user,
        user=actor,
        role=role,
        email=email,
        org=getattr(unit, "code", None),
        staff=staff_code,
    )
    return user


def end_other_sessions(user):
    """End every signed-in session of ``user``: their cookies no longer load the user.

    The caller signs the current browser in again if it should stay signed in."""
    user.session_version = (user.session_version or 0) + 1


def renew_calendar_feed(user, *, actor=None):
    """Retire the calendar feed addresses of ``user`` given so far (a new one is derived)."""
    user.calendar_feed_version = (user.calendar_feed_version or 0) + 1
    audit.record("user.calendar_feed_renew", user, user=actor)


def change_password(user, current, new):
    """Replace the password of ``user`` after checking the current one; the new one must
    differ from it (else a one-time password could be "changed" to itself)."""
    if not user.check_password(current or ""):
        raise InvalidInput(PasswordRefused.WRONG_CURRENT)
    if new == current:
        raise InvalidInput(PasswordRefused.UNCHANGED)
    check_password_rules(new)
    user.set_password(new)
    user.must_change_password = False
    end_other_sessions(user)
    audit.record("user.password_change", user, user=user)


def issue_token(user, name=""):
    """Create an API token for ``user``; return the token string, which is never stored."""
    token = ApiToken.generate()
    db.session.add(ApiToken(user=user, token_hash=hash_token(token), name=name))
    db.session.flush()
    audit.record("token.issue", user, user=user, name=name)
    return token


def user_for_token(token):
    """Return the active user owning a usable ``token``, or None."""
    if not token:
        return None
    row = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_token(token))
        .options(joinedload(ApiToken.user))
    )
    if row is None or not row.is_usable() or not row.user.is_active:
        return None
    now = datetime.now(UTC)
    # Recorded at most every few minutes: a write per API call would cost more than the call.
    if row.last_used_at is None or now - row.last_used_at > TOKEN_USE_RESOLUTION:
        row.last_used_at = now
    return row.user


ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper


def one_time_password(length=10):
    """A random password that is easy to copy from paper."""
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(length))


def without_account(unit):
    """The query of the active staff of ``unit``'s subtree who have no user account."""
    return (
        select(Staff)
        .join(OrgUnit, Staff.org_unit_id == OrgUnit.id)
        .where(
            OrgUnit.in_subtree(unit.path),
            Staff.status == "active",
            ~Staff.id.in_(select(User.staff_id).where(User.staff_id.is_not(None))),
        )
    )


def staff_without_account(unit):
    """Active staff of ``unit``'s subtree who have no user account, by unit then name."""
    return db.session.scalars(
        without_account(unit)
        .options(contains_eager(Staff.org_unit))
        .order_by(OrgUnit.path, Staff.sort_key)
    ).all()


def count_without_account(unit):
    """How many of ``unit``'s active staff have no account: one COUNT, no rows loaded (a
    request that starts the accounts' job must answer at once, whatever the unit's size)."""
    return db.session.scalar(select(func.count()).select_from(without_account(unit).subquery()))


def create_accounts_for_unit(unit, *, role="teacher", actor=None, progress=None):
    """Give every active staff member of the subtree without an account a one-time password.

    Returns ``[(staff, password)]``; the passwords exist only in this answer.
    """
    allowed = [r for r in ROLES if role_can(r, Capability.OWN_RECORD)]
    if role not in allowed:
        raise InvalidInput("unknown_role", role=role, allowed=allowed)
    created = []
    taken = set(db.session.scalars(select(func.lower(User.email)).where(User.email.is_not(None))))
    for staff in staff_without_account(unit):
        password = one_time_password()
        email = staff.email.lower() if staff.email else None
        if email in taken:
            email = None  # an address already used by another account: sign in by staff code
        taken.add(email)
        user = User(role=role, staff=staff, org_unit=staff.org_unit, email=email)
        user.set_password(password, one_time=True)
        db.session.add(user)
        created.append((staff, password))
        if progress:
            progress(1)
    db.session.flush()
    audit.record("user.create_bulk", unit, user=actor, role=role, count=len(created))
    return created


def reset_password(user, *, actor=None):
    """Give ``user`` a new one-time password (returned once) to change at the next sign-in."""
    password = one_time_password()
    user.set_password(password, one_time=True)
    end_other_sessions(user)
    audit.record("user.password_reset", user, user=actor)
    return password


def set_active(user, active, *, actor=None):
    """Disable or enable an account; a disabled user can neither sign in nor use tokens."""
    if user.active != active:
        user.active = active
        if not active:
            end_other_sessions(user)
            # the feed address is retired for good: enabling again does not revive it
            user.calendar_feed_version = (user.calendar_feed_version or 0) + 1
        audit.record("user.enable" if active else "user.disable", user, user=actor)


def revoke_token(token, *, actor=None):
    """Revoke an API token now."""
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        audit.record("token.revoke", token.user, user=actor, token=token.id, name=token.name)
