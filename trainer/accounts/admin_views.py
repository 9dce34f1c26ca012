"""Admins manage accounts: find a user, reset the password, disable, revoke API tokens."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..org.models import Staff
from ..org.services import search_condition
from .blueprint import bp
from .decorators import capability_required
from .models import ApiToken, User
from .scope import Capability
from .services import reset_password, revoke_token, set_active


@bp.route("/admin/users")
@capability_required(Capability.MANAGE_USERS)
def users():
    q = request.args.get("q", "").strip()[:100]
    stmt = (
        select(User)
        .outerjoin(Staff, User.staff_id == Staff.id)
        .options(joinedload(User.staff), joinedload(User.org_unit), selectinload(User.tokens))
        .order_by(User.id)
        .limit(100)
    )
    if q:
        condition = search_condition(q)
        stmt = stmt.where(
            or_(User.email.ilike(f"%{q}%"), *([condition] if condition is not None else []))
        )
    return render_template(
        "accounts/users.html", users=db.session.scalars(stmt).unique().all(), q=q
    )


def user_or_404(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/users/<int:user_id>/reset", methods=["POST"])
@capability_required(Capability.MANAGE_USERS)
def reset(user_id):
    """The new one-time password is shown once, in this answer only: never in a flash message
    (the session cookie is signed, not encrypted) nor in a redirect's address."""
    user = user_or_404(user_id)
    password = reset_password(user, actor=current_user)
    return render_template(
        "accounts/password_reset.html", user=user, password=password, q=request.args.get("q", "")
    )


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@capability_required(Capability.MANAGE_USERS)
def toggle_active(user_id):
    user = user_or_404(user_id)
    if user.id == current_user.id:
        flash(_("You cannot disable your own account."), "error")
    else:
        set_active(user, request.form.get("active") == "1", actor=current_user)
        flash(_("Account updated."), "success")
    return redirect(url_for("accounts.users", q=request.args.get("q", "")))


@bp.route("/admin/tokens/<int:token_id>/revoke", methods=["POST"])
@capability_required(Capability.MANAGE_USERS)
def revoke(token_id):
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    revoke_token(token, actor=current_user)
    flash(_("Token revoked."), "success")
    return redirect(url_for("accounts.users", q=request.args.get("q", "")))
