"""The one place that decides what a user may see and do: every query, lookup and
permission check goes through it. What each role may do is named once, in ``CAPABILITIES``."""

from enum import StrEnum
from functools import cached_property

from flask import abort
from sqlalchemy import false, select, true

from ..extensions import db
from ..org.models import OrgUnit, Staff
from .models import Role


class Capability(StrEnum):
    """Something a user may do (or see), asked by views, API, services and the navigation."""

    SEE_PROVINCE = "see_province"  # every unit and person
    SEE_SUBTREE = "see_subtree"  # their unit and everything below it
    OWN_RECORD = "own_record"  # has a staff record of their own (progress, certificates)
    CHECK_IN = "check_in"  # self check-in and their own certificates in the menu
    BROWSE_UNITS = "browse_units"  # org tree, staff lists and exports
    SCHEDULE_SESSIONS = "schedule_sessions"  # schedule, edit, cancel, enrol, decide requests
    MARK_ATTENDANCE = "mark_attendance"
    RECORD_RESULTS = "record_results"
    ISSUE_CERTIFICATES = "issue_certificates"  # single, bulk, re-issue, printing
    REVOKE_CERTIFICATES = "revoke_certificates"
    VIEW_COVERAGE = "view_coverage"  # dashboards, to-do lists, activity, reports
    SET_TARGETS = "set_targets"
    CREATE_ACCOUNTS = "create_accounts"  # accounts for every staff member of a unit
    MANAGE_USERS = "manage_users"  # reset passwords, disable accounts, revoke tokens
    MANAGE_CURRICULUM = "manage_curriculum"  # modules' pass scores, levels, issuing profiles
    IMPORT_DATA = "import_data"
    VIEW_AUDIT = "view_audit"


C = Capability
#: The capability table: the only place where roles are spelled out.
CAPABILITIES = {
    Role.ADMIN: frozenset(C) - {C.SEE_SUBTREE, C.OWN_RECORD, C.CHECK_IN},
    Role.MANAGER: frozenset(
        {C.SEE_SUBTREE, C.BROWSE_UNITS, C.VIEW_COVERAGE, C.SET_TARGETS, C.CREATE_ACCOUNTS}
    ),
    Role.TRAINER: frozenset(
        {
            C.SEE_SUBTREE,
            C.OWN_RECORD,
            C.BROWSE_UNITS,
            C.SCHEDULE_SESSIONS,
            C.MARK_ATTENDANCE,
            C.RECORD_RESULTS,
            C.ISSUE_CERTIFICATES,
            C.REVOKE_CERTIFICATES,
        }
    ),
    Role.TEACHER: frozenset({C.OWN_RECORD, C.CHECK_IN}),
}


def role_can(role, capability):
    """True when ``role`` has ``capability`` (an unknown role has none)."""
    return Capability(capability) in CAPABILITIES.get(role, frozenset())


class Scope:
    """What ``user`` may see: the whole province, one unit's subtree, or only themself."""

    def __init__(self, user):
        self.user = user
        self.role = getattr(user, "role", None)
        self.capabilities = CAPABILITIES.get(self.role, frozenset())
        self.everything = Capability.SEE_PROVINCE in self.capabilities
        self.own_staff_id = getattr(user, "staff_id", None)

    def can(self, capability):
        """True when this user may do ``capability`` (a ``Capability`` or its name)."""
        return Capability(capability) in self.capabilities

    def require(self, capability):
        """404 unless this user may do ``capability`` (another role's page looks absent)."""
        if not self.can(capability):
            abort(404)
        return self

    @cached_property
    def root(self):
        # loaded when first needed (a capability check needs no unit); an admin's never is
        return None if self.everything else getattr(self.user, "org_unit", None)

    @property
    def by_subtree(self):
        return Capability.SEE_SUBTREE in self.capabilities and self.root is not None

    def unit_condition(self):
        """SQL condition on ``OrgUnit`` for the units in scope."""
        if self.everything:
            return true()
        if self.by_subtree:
            return OrgUnit.in_subtree(self.root.path)
        return false()

    def staff_condition(self):
        """SQL condition on ``Staff`` for the staff in scope."""
        if self.everything:
            return true()
        if self.by_subtree:
            units = select(OrgUnit.id).where(OrgUnit.in_subtree(self.root.path))
            return Staff.org_unit_id.in_(units)
        if self.own_staff_id is not None:
            return Staff.id == self.own_staff_id
        return false()

    def units(self):
        """A select of the org units in scope."""
        return select(OrgUnit).where(self.unit_condition())

    def staff(self):
        """A select of the staff in scope."""
        return select(Staff).where(self.staff_condition())

    def can_see_unit(self, unit):
        if unit is None:
            return False
        if self.everything:
            return True
        return self.by_subtree and unit.is_within(self.root)

    def crumbs(self, pairs):
        """[(unit, name, linked)] of a path of (unit, name): the whole path is shown, linked
        only where this user may go (the units above a subtree's top are not links)."""
        return [(unit, name, self.can_see_unit(unit)) for unit, name in pairs]

    def can_see_staff(self, staff):
        if staff is None:
            return False
        if self.everything:
            return True
        if self.by_subtree:
            return staff.org_unit.is_within(self.root)
        return staff.id == self.own_staff_id

    def home_unit(self):
        """The unit a dashboard for this user starts at (the province root for admins)."""
        if self.everything:
            return db.session.scalar(
                select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id)
            )
        return self.root if self.by_subtree else None

    def unit_or_404(self, code):
        """The unit with ``code`` if in scope, else a 404 (out of scope looks like absent)."""
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        if not self.can_see_unit(unit):
            abort(404)
        return unit

    def staff_or_404(self, staff_code):
        """The staff member with ``staff_code`` if in scope, else a 404."""
        staff = db.session.scalar(select(Staff).where(Staff.staff_code == staff_code))
        if not self.can_see_staff(staff):
            abort(404)
        return staff


def scope_for(user):
    """Return the scope of ``user`` (anonymous users see nothing)."""
    return Scope(user if getattr(user, "is_authenticated", False) else None)


def register_template_scope(app):
    """``current_scope.can('…')`` in templates (the navigation asks what views ask)."""
    from flask_login import current_user

    @app.context_processor
    def template_scope():
        return {"current_scope": scope_for(current_user), "Capability": Capability}
