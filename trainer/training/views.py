"""Session list, week calendar, scheduling, editing and the session page."""

from datetime import datetime, time, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.scope import Capability, scope_for
from ..bounds import date_arg, page_arg
from ..curriculum.models import Module
from ..errors import DomainError
from ..extensions import db
from ..filters import remembered_filters
from ..org.models import OrgUnit, Staff
from ..pagination import paginate
from ..timeutil import local_today
from . import services
from .blueprint import bp
from .checkin_keys import CheckinKey
from .errors import TrainerBusy
from .forms import LOCAL, EnrollForm, SessionFilterForm, SessionForm, local_datetime
from .labels import SESSION_STATUSES as SESSION_STATUS_LABELS
from .models import TrainingSession
from .queries import pending_requests, sessions_query, visible_roster
from .scope import can_schedule, managed_session_or_404, session_or_404


def module_choices():
    """The modules for a select, named in the reader's language."""
    return [
        (m.id, f"{m.code} · {m.name(get_locale())}")
        for m in db.session.scalars(select(Module).order_by(Module.sort_order))
    ]


def trainer_choices(scope):
    stmt = scope.staff().where(Staff.position == "it_teacher", Staff.status == "active")
    choices = [
        (s.id, f"{s.full_name} ({s.staff_code})")
        for s in db.session.scalars(stmt.order_by(Staff.sort_key).limit(500))
    ]
    own = current_user.staff
    if own is not None and own.id not in {c[0] for c in choices}:
        choices.insert(0, (own.id, f"{own.full_name} ({own.staff_code})"))
    return choices


LIST_FILTERS = ("org", "module", "trainer", "date_from", "date_to", "status", "when")
WHEN = ("upcoming", "past", "all")


@bp.route("/sessions")
@login_required
def session_list():
    if (back := remembered_filters("training.session_list", LIST_FILTERS)) is not None:
        return back
    scope = scope_for(current_user)
    form = SessionFilterForm(request.args)
    form.module.choices = [("", _("All"))] + [
        (m.code, f"{m.code} · {m.name(get_locale())}")
        for m in db.session.scalars(select(Module).order_by(Module.sort_order))
    ]
    form.status.choices = [("", _("All"))] + [
        (code, str(text)) for code, text in SESSION_STATUS_LABELS.items()
    ]
    form.validate()
    when = request.args.get("when") if request.args.get("when") in WHEN else "upcoming"
    # a name matching several units or people is the field's error; the filter then unused
    unit = scope.unit_or_404(form.org.data) if form.org.data and not form.org.errors else None
    day_from, day_to = date_arg("date_from"), date_arg("date_to")
    start = local_datetime(day_from, None) if day_from else None
    end = local_datetime(day_to + timedelta(days=1), None) if day_to else None
    stmt = sessions_query(
        scope,
        unit=unit,
        module_code=form.module.data or None,
        trainer_code=(form.trainer.data or None) if not form.trainer.errors else None,
        start=start,
        end=end,
        status=form.status.data or None,
    )
    now = datetime.now(LOCAL)
    if when == "upcoming":  # running and coming sessions, soonest first
        stmt = stmt.where(TrainingSession.ends_at > now)
    elif when == "past":  # the latest first
        stmt = stmt.where(TrainingSession.ends_at <= now)
    if when != "upcoming":
        stmt = stmt.order_by(None).order_by(
            TrainingSession.starts_at.desc(), TrainingSession.id.desc()
        )
    page = paginate(stmt, page_arg(), current_app.config["PAGE_SIZE"])
    args = {k: v for k, v in request.args.items() if k not in ("page", "lang")}
    args["when"] = when
    tabs = [
        ("upcoming", _("Upcoming")),
        ("past", _("Past")),
        ("all", _("All")),
    ]
    # a teacher's own sessions, on a phone: cards and the tabs, no administrator's filters
    own_only = not scope.can(Capability.BROWSE_UNITS)
    template = "training/list_mine.html" if own_only else "training/list.html"
    return render_template(
        template,
        form=form,
        page=page,
        args=args,
        when=when,
        tabs=tabs,
        can_schedule=can_schedule(scope),
    ), 400 if form.org.errors or form.trainer.errors else 200


@bp.route("/sessions/week")
@login_required
def week():
    scope = scope_for(current_user)
    day = date_arg("start", local_today())
    monday = day - timedelta(days=day.weekday())
    start = datetime.combine(monday, time(0, 0), tzinfo=LOCAL)
    # staff who run training see their own unit by default (a province's week is thousands
    # of sessions); a teacher's scope is their own sessions already
    org = request.args.get("org")
    if org is None:
        own = current_user.org_unit
        org = "all"
        if scope.can(Capability.BROWSE_UNITS) and own is not None and scope.can_see_unit(own):
            org = own.code
    unit = None if org in ("all", "") else scope.unit_or_404(org.strip())
    sessions = db.session.scalars(
        sessions_query(scope, unit=unit, start=start, end=start + timedelta(days=7))
    ).all()
    days = [(monday + timedelta(days=i), []) for i in range(7)]
    for session in sessions:
        local_day = session.starts_at.astimezone(LOCAL).date()
        days[(local_day - monday).days][1].append(session)
    return render_template(
        "training/week.html",
        days=days,
        monday=monday,
        prev=monday - timedelta(days=7),
        next=monday + timedelta(days=7),
        unit=unit,
        org=unit.code if unit is not None else "all",
        can_schedule=can_schedule(scope),
    )


def venue_or_error(scope, form):
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == form.venue.data.strip()))
    if not scope.can_see_unit(unit):
        form.venue.errors.append(_("Unknown unit code, or a unit outside your scope."))
        return None
    return unit


def busy_message(exc):
    return _(
        "The trainer already has a session at that time: %(title)s (%(when)s).",
        title=exc.details.get("clash_title", ""),
        when=datetime.fromisoformat(exc.details["clash_starts_at"])
        .astimezone(LOCAL)
        .strftime("%d/%m/%Y %H:%M"),
    )


@bp.route("/sessions/new", methods=["GET", "POST"])
@login_required
def create():
    scope = scope_for(current_user)
    if not can_schedule(scope):
        abort(404)
    form = SessionForm()
    form.module.choices, form.trainer.choices = module_choices(), trainer_choices(scope)
    if request.method == "GET":
        form.trainer.data = current_user.staff_id
        form.venue.data = getattr(current_user.org_unit, "code", "")
    if form.validate_on_submit() and (venue := venue_or_error(scope, form)) is not None:
        try:
            created = services.create_series(
                weeks=form.weeks.data or 1,
                module=db.session.get(Module, form.module.data),
                title=form.title.data.strip(),
                trainer=db.session.get(Staff, form.trainer.data),
                venue=venue,
                location=form.location.data,
                starts_at=form.starts_at,
                ends_at=form.ends_at,
                capacity=form.capacity.data,
                created_by=current_user,
                late_after_minutes=form.late_after_minutes.data or 0,
            )
        except TrainerBusy as exc:  # a series is all or nothing: the status rolls it back
            form.start.errors.append(busy_message(exc))
            return render_template("training/form.html", form=form, session=None), 422
        flash(_("%(n)d session(s) scheduled.", n=len(created)), "success")
        return redirect(url_for("training.detail", session_id=created[0].id))
    return render_template("training/form.html", form=form, session=None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit(session_id):
    scope = scope_for(current_user)
    session = managed_session_or_404(scope, session_id)
    form = SessionForm(obj=None if request.method == "POST" else session)
    form.module.choices, form.trainer.choices = module_choices(), trainer_choices(scope)
    if request.method == "GET":
        local_start = session.starts_at.astimezone(LOCAL)
        local_end = session.ends_at.astimezone(LOCAL)
        form.module.data, form.trainer.data = session.module_id, session.trainer_id
        form.venue.data, form.day.data = session.org_unit.code, local_start.date()
        form.start.data, form.end.data = local_start.time(), local_end.time()
    if form.validate_on_submit() and (venue := venue_or_error(scope, form)) is not None:
        try:
            services.update_session(
                session,
                actor=current_user,
                module=db.session.get(Module, form.module.data),
                title=form.title.data.strip(),
                trainer=db.session.get(Staff, form.trainer.data),
                org_unit=venue,
                location=form.location.data or "",
                starts_at=form.starts_at,
                ends_at=form.ends_at,
                capacity=form.capacity.data,
                late_after_minutes=form.late_after_minutes.data or 0,
            )
        except TrainerBusy as exc:
            form.start.errors.append(busy_message(exc))
        except DomainError as exc:  # a limit of values.py, or fewer places than enrolled
            field = getattr(form, exc.details.get("field", "capacity"), form.capacity)
            field.errors.append(exc.message)
        else:
            flash(_("The session has been updated."), "success")
            return redirect(url_for("training.detail", session_id=session.id))
        return render_template("training/form.html", form=form, session=session), 422
    return render_template("training/form.html", form=form, session=session)


@bp.route("/sessions/<int:session_id>/cancel", methods=["POST"])
@login_required
def cancel(session_id):
    session = managed_session_or_404(scope_for(current_user), session_id)
    services.cancel_session(session, actor=current_user)
    flash(_("The session has been cancelled."), "info")
    return redirect(url_for("training.detail", session_id=session.id))


@bp.route("/sessions/<int:session_id>")
@login_required
def detail(session_id):
    scope = scope_for(current_user)
    session = session_or_404(scope, session_id)
    manage = can_schedule(scope)
    query = request.args.get("q", "").strip()[:100]
    candidates = []
    if manage and query:
        from ..org.services import staff_query

        enrolled = {e.staff_id for e in session.enrollments}
        candidates = [
            s
            for s in db.session.scalars(staff_query(scope, q=query, status="active").limit(30))
            if s.id not in enrolled
        ]
    return render_template(
        "training/detail.html",
        session=session,
        enrollments=visible_roster(scope, session),
        manage=manage,
        enroll_form=EnrollForm(),
        query=query,
        candidates=candidates,
        requests=pending_requests(session) if manage else [],
        checkin_key=CheckinKey.from_config(current_app.config) if manage else None,
    )
