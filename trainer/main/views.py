"""The home page of each role and the health check."""

from flask import Blueprint, current_app, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select, text

from ..accounts.models import User
from ..accounts.scope import Capability, scope_for
from ..extensions import db
from ..org.models import OrgUnit, Staff

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return redirect(url_for("main.home"))


@bp.route("/home")
@login_required
def home():
    scope = scope_for(current_user)
    unit = scope.home_unit()
    counts = {}
    if scope.can(Capability.BROWSE_UNITS):
        counts = {
            "units": db.session.scalar(
                select(func.count()).select_from(OrgUnit).where(scope.unit_condition())
            ),
            "staff": db.session.scalar(
                select(func.count())
                .select_from(Staff)
                .where(scope.staff_condition(), Staff.status == "active")
            ),
        }
        if scope.can(Capability.MANAGE_USERS):
            counts["users"] = db.session.scalar(select(func.count()).select_from(User))
    extra = {}
    staff = current_user.staff
    if staff is not None and scope.can(Capability.CHECK_IN):
        from ..training.queries import history_for, requests_for, upcoming_for

        extra = {
            "upcoming": upcoming_for(staff),
            "history": history_for(staff),
            "requests": requests_for(staff),
        }
    elif staff is not None and scope.can(Capability.SCHEDULE_SESSIONS):
        from ..training.queries import led_by, requests_waiting

        extra = {"leading": led_by(staff), "waiting": requests_waiting(staff)}
    if staff is not None:
        from ..training.calendar import feed_url_for

        extra["feed_url"] = feed_url_for(current_user)
    template = f"main/home_{current_user.role}.html"
    return render_template(template, unit=unit, counts=counts, staff=staff, **extra)


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure of the database means "not healthy" (503 rolls back)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/sw.js")
def service_worker():
    """The service worker, from the site's root so that it may serve every page offline."""
    return send_file(current_app.static_folder + "/js/sw.js", mimetype="text/javascript")


@bp.route("/manifest.webmanifest")
def manifest():
    """The web app manifest: trainers install the app on their tablet's home screen."""
    icons = [
        {
            "src": url_for("static", filename="img/favicon.svg"),
            "sizes": "any",
            "type": "image/svg+xml",
            "purpose": "any",
        },
        # Android's home screen wants PNGs of these sizes (tools/app_icons.py draws them)
        *(
            {
                "src": url_for("static", filename=f"img/app-icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ),
    ]
    response = jsonify(
        {
            "name": _("Digital skills programme"),
            "short_name": _("Digital skills"),
            "start_url": url_for("main.home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1d4e89",
            "lang": "vi",
            "icons": icons,
        }
    )
    response.mimetype = "application/manifest+json"
    return response
