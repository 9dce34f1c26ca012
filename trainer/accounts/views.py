"""Sign-in, sign-out and password change pages."""

import re
from urllib.parse import unquote, urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import InvalidInput
from ..extensions import db, limiter, login_manager
from .blueprint import bp
from .forms import LoginForm, PasswordChangeForm
from .models import User
from .services import authenticate, change_password, end_other_sessions, find_user
from .values import PasswordRefused


@login_manager.user_loader
def load_user(session_id):
    """The user of a session cookie, if its session version is still the user's and the
    account may still sign in (signing out, a new password, a reset or disabling ends it)."""
    user_id, _dot, version = str(session_id).partition(".")
    if not user_id.isdigit() or not version.isdigit() or int(user_id) > 2**31 - 1:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or int(version) != (user.session_version or 0) or not user.is_active:
        return None
    return user


def _account_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_limit():
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _failed(response):
    """Only a failed sign-in counts (a success redirects)."""
    return response.status_code != 302


# Control characters (browsers silently drop tabs and newlines from a URL) and backslashes
# (read as "/"): "/\t/evil.example" and "/\\evil.example" both lead to another site.
_UNSAFE_IN_NEXT = re.compile(r"[\x00-\x1f\x7f\\]")


def local_path(target):
    """``target`` if a browser would read it as a path on this site, else None.

    It is judged as written and after percent-decoding (up to three times), after the same
    normalisation a browser applies; anything doubtful is refused rather than repaired."""
    if not target or len(target) > 2048:
        return None
    forms, text = [target], target
    for _round in range(3):
        text = unquote(text)
        forms.append(text)
    for form in forms:
        if _UNSAFE_IN_NEXT.search(form) or not form.startswith("/") or form.startswith("//"):
            return None
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return None
    return target


def _safe_next(target):
    """Only follow ``next`` to a path on this site, else to the home page."""
    return local_path(target) or url_for("main.home")


def _login_account():
    """The account being tried, resolved: its email address and its staff code share one
    budget; an identifier that names nobody has its own."""
    identifier = (request.form.get("identifier") or "").strip()[:255]
    user = find_user(identifier)
    if user is not None:
        return f"login:user:{user.id}"
    return "login:unknown:" + identifier.lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, methods=["POST"], key_func=_login_account, deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.identifier.data, form.password.data)
        if user is not None:
            lang = session.get("lang")
            session.clear()  # a new session at sign-in: no fixation
            if lang:
                session["lang"] = lang
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Wrong sign-in name or password."))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        end_other_sessions(current_user)  # a copy of this cookie must not outlive the sign-out
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.new.data)
        except InvalidInput as exc:
            field = form.current if exc.code == PasswordRefused.WRONG_CURRENT else form.new
            field.errors.append(exc.message)
        else:
            login_user(current_user._get_current_object())  # this browser stays signed in
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.home"))
    return render_template("accounts/password.html", form=form)


PASSWORD_CHANGE_EXEMPT = ("accounts.password", "accounts.logout", "static", "main.healthz")


@bp.before_app_request
def force_new_password():
    """A user given a one-time password must choose their own before anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in PASSWORD_CHANGE_EXEMPT
        and not request.path.startswith("/api/")
    ):
        flash(_("Please choose a new password before you continue."), "warning")
        return redirect(url_for("accounts.password"))
    return None
