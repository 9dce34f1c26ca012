"""Which sessions a user may see and manage, built on the one scope helper."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import false, select, true

from ..accounts.scope import Capability
from ..extensions import db
from ..org.models import OrgUnit
from .models import Enrollment, TrainingSession


def session_condition(scope):
    """SQL condition on ``TrainingSession`` for the sessions ``scope`` may see."""
    if scope.everything:
        return true()
    if scope.by_subtree:
        units = select(OrgUnit.id).where(OrgUnit.in_subtree(scope.root.path))
        return TrainingSession.org_unit_id.in_(units)
    if scope.own_staff_id is not None:
        mine = select(Enrollment.session_id).where(Enrollment.staff_id == scope.own_staff_id)
        return TrainingSession.id.in_(mine)
    return false()


def session_or_404(scope, session_id):
    """The session if ``scope`` may see it, else 404."""
    session = db.session.scalar(
        select(TrainingSession).where(TrainingSession.id == session_id, session_condition(scope))
    )
    if session is None:
        abort(404)
    return session


def can_schedule(scope):
    """Whether ``scope``'s user schedules sessions and enrols people (heads only read)."""
    return scope.can(Capability.SCHEDULE_SESSIONS)


def managed_session_or_404(scope, session_id, capability=Capability.SCHEDULE_SESSIONS):
    """A session this user may act on with ``capability``; 404 otherwise."""
    scope.require(capability)
    return session_or_404(scope, session_id)


def cancelled_redirect(session):
    """For a cancelled session, its page with a message (it offers no check-in, marks or
    results any more); ``None`` for a session that goes ahead."""
    if session.status != "cancelled":
        return None
    flash(_("The session has been cancelled: there is nothing more to record for it."), "warning")
    return redirect(url_for("training.detail", session_id=session.id))
