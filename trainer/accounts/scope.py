"""The one place that decides what a user may see: every query and lookup goes through it."""

from flask import abort
from sqlalchemy import false, select, true

from ..extensions import db
from ..org.models import OrgUnit, Staff


class Scope:
    """What ``user`` may see: the whole province, one unit's subtree, or only themself."""

    def __init__(self, user):
        self.user = user
        self.role = getattr(user, "role", None)
        self.everything = self.role == "admin"
        # an admin's unit is never needed: do not load it
        self.root = None if self.everything else getattr(user, "org_unit", None)
        self.own_staff_id = getattr(user, "staff_id", None)

    @property
    def by_subtree(self):
        return self.role in ("manager", "trainer") and self.root is not None

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
