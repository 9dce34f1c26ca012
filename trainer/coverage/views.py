"""The coverage dashboard, its exports, the to-do list, training activity and targets."""

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.scope import Capability, scope_for
from ..bounds import date_arg
from ..certificates.request_helpers import level_or_none
from ..curriculum.eligibility import all_levels
from ..errors import InvalidInput
from ..exports import table_response
from ..extensions import db
from ..labels import GENDERS, POSITIONS, SCHOOL_LEVELS, label
from ..org.models import OrgUnit
from ..org.structure import end_of_life, name_on, path_units_on, successor_of
from ..timeutil import local_today
from . import queries
from .breakdown import Dimension, coverage_breakdown
from .cache import cached
from .charts import bar_chart, line_chart
from .forms import CoverageFilterForm, TargetForm
from .services import (
    NotInForce,
    cached_coverage,
    coverage_by_structure_of,
    last_year,
    may_set_target,
    percent_of,
    projection,
    set_target,
)
from .trend import trend

bp = Blueprint("coverage", __name__)
SORTS = ("name", "staff_total", "certified", "percent", "target_percent", "gap")


def dashboard_scope(capability=Capability.VIEW_COVERAGE):
    return scope_for(current_user).require(capability)


def parameters():
    """(scope, form, unit, level, as_of, position) from the query string; 404 out of scope."""
    scope = dashboard_scope()
    levels = all_levels()
    form = CoverageFilterForm(request.args, levels=levels)
    form.validate()
    unit = scope.unit_or_404(form.org.data) if form.org.data else scope.home_unit()
    level = level_or_none(form.level.data or "basic")
    if unit is None or level is None:
        abort(404)
    form.level.data = level.code
    as_of = date_arg("as_of", local_today())
    position = form.position.data if form.position.data in POSITIONS else None
    return scope, form, unit, level, as_of, position


def sorted_rows(rows):
    key = request.args.get("sort", "name")
    key = key if key in SORTS else "name"
    reverse = request.args.get("dir") == "desc"

    def value(row):
        item = getattr(row, key)
        return (item is None, item if item is not None else 0) if key != "name" else row.name

    return sorted(rows, key=value, reverse=reverse), key, reverse


@bp.route("/coverage")
@login_required
def dashboard():
    scope, form, unit, level, as_of, position = parameters()
    try:
        head, rows = cached_coverage(unit, level, as_of, position)
    except NotInForce:
        return not_in_force_page(unit, as_of)
    rows, sort, reverse = sorted_rows(rows)
    points = cached(
        ("trend", unit.id, level.id, as_of, position),
        lambda: trend(unit, level, as_of, position, total=head.staff_total),
    )
    state, months = projection(points, head.target_percent)
    args = {k: v for k, v in request.args.items() if k not in ("sort", "dir", "lang")}
    return render_template(
        "coverage/dashboard.html",
        form=form,
        unit=unit,
        level=level,
        as_of=as_of,
        head=head,
        rows=rows,
        sort=sort,
        reverse=reverse,
        args=args,
        crumbs=scope.crumbs(path_units_on(unit, as_of)),
        bars=bar_chart(rows),
        line=line_chart(points, head.target_percent),
        projection=(state, months, add_months(as_of, months) if months else None),
        compare=compared(unit, level, as_of, position),
    )


def compared(unit, level, as_of, position):
    """Last year's figures for the "compare with last year" toggle: by the structure of that
    date, or by today's structure (closed units counted at their successors); None when off."""
    how = request.args.get("compare")
    if how not in ("date", "today"):
        return None
    then = last_year(as_of)
    try:
        if how == "date":
            head, rows = cached_coverage(unit, level, then, position)
        else:
            head, rows = cached(
                ("compare", unit.id, level.id, then, as_of, position),
                lambda: coverage_by_structure_of(unit, level, then, as_of, position),
            )
    except NotInForce:
        return {"how": how, "day": then, "head": None, "rows": []}
    return {"how": how, "day": then, "head": head, "rows": rows}


def figures_or_404(unit, level, as_of, position):
    """Coverage for the exports: a unit not in force on the date is not found."""
    try:
        return cached_coverage(unit, level, as_of, position)
    except NotInForce:
        abort(404)


def not_in_force_page(unit, as_of):
    """The page of a unit on a date it was not in force: merged into which unit, and when."""
    args = {k: v for k, v in request.args.items() if k not in ("org", "lang")}
    return render_template(
        "coverage/not_in_force.html",
        unit=unit,
        as_of=as_of,
        successor=successor_of(unit),
        merged_on=end_of_life(unit),
        args=args,
    )


def add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def coverage_table(rows):
    header = [
        _("Unit code"),
        _("Unit"),
        _("Staff"),
        _("Certified"),
        _("Percent"),
        _("Target, percent"),
        _("Gap"),
    ]
    body = [
        [r.code, r.name, r.staff_total, r.certified, r.percent, r.target_percent, r.gap]
        for r in rows
    ]
    return header, body


@bp.route("/coverage/export.<any(csv, xlsx):fmt>")
@login_required
def export(fmt):
    _scope, _form, unit, level, as_of, position = parameters()
    head, rows = figures_or_404(unit, level, as_of, position)
    header, body = coverage_table([head, *rows])
    # CSV: Vietnamese-Excel format (";", decimal comma); ?format=csv-plain for tools
    return table_response(
        fmt,
        f"coverage-{unit.code}-{level.code}-{as_of.isoformat()}",
        header,
        body,
        title=_("Coverage"),
        vietnamese=request.args.get("format") != "csv-plain",
    )


@bp.route("/coverage/uncertified")
@bp.route("/coverage/uncertified.<any(csv, xlsx):fmt>")
@login_required
def uncertified(fmt=None):
    _scope, form, unit, level, as_of, position = parameters()
    rows = queries.to_do(unit, level, as_of, position)
    if fmt:
        header = [
            _("Staff code"),
            _("Full name"),
            _("Unit"),
            _("Position"),
            _("Missing modules"),
            _("Next session"),
            _("Session date"),
        ]
        body = [
            [
                s.staff_code,
                s.full_name,
                s.org_unit.name,
                str(label(POSITIONS, s.position)),
                ", ".join(missing),
                nxt.title if nxt else "",
                nxt.starts_at if nxt else None,
            ]
            for s, missing, nxt in rows
        ]
        return table_response(
            fmt, f"uncertified-{unit.code}-{level.code}", header, body, title=_("To certify")
        )
    args = {k: v for k, v in request.args.items() if k != "lang"}
    return render_template(
        "coverage/uncertified.html",
        form=form,
        unit=unit,
        level=level,
        rows=rows[:500],
        total=len(rows),
        args=args,
    )


@bp.route("/coverage/activity")
@bp.route("/coverage/activity.<any(csv, xlsx):fmt>")
@login_required
def activity(fmt=None):
    scope, form, unit, _level, as_of, _position = parameters()
    if not unit.in_force(as_of):  # a closed unit's export is not found, its page says why
        return abort(404) if fmt else not_in_force_page(unit, as_of)
    rows = queries.activity(unit, as_of)
    if fmt:
        header = [
            _("Unit code"),
            _("Unit"),
            _("Sessions held"),
            _("Participants"),
            _("Attendance rate, percent"),
            _("Active staff"),
            _("IT teachers"),
            _("IT teachers, percent of staff"),
        ]
        body = [
            [
                r["unit"].code,
                r["name"],
                r["sessions"],
                r["participants"],
                r["attendance_rate"],
                r["staff"],
                r["it_teachers"],
                r["it_share"],
            ]
            for r in rows
        ]
        return table_response(fmt, f"activity-{unit.code}", header, body, title=_("Activity"))
    args = {k: v for k, v in request.args.items() if k != "lang"}
    return render_template(
        "coverage/activity.html",
        unit=unit,
        name=name_on(unit, as_of),
        as_of=as_of,
        crumbs=scope.crumbs(path_units_on(unit, as_of)),
        rows=rows,
        args=args,
        months=queries.monthly_activity(unit, as_of),
    )


DIMENSION_LABELS = {
    Dimension.SCHOOL_LEVEL: _l("School level"),
    Dimension.GENDER: _l("Gender"),
    Dimension.ETHNIC_MINORITY: _l("Ethnic minority"),
    Dimension.DISADVANTAGED: _l("Disadvantaged area"),
    Dimension.POSITION: _l("Position"),
    Dimension.CHILD: _l("Unit directly under"),
}


def breakdown_value(dimension, value, names):
    """The Vietnamese (or English) text of one cell value of a breakdown."""
    if value is None:
        return _("Not given")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    mapping = {
        Dimension.SCHOOL_LEVEL: SCHOOL_LEVELS,
        Dimension.GENDER: GENDERS,
        Dimension.POSITION: POSITIONS,
        Dimension.CHILD: names,
    }.get(dimension, {})
    return str(label(mapping, value))


@bp.route("/coverage/analysis")
@login_required
def analysis():
    """The "Phân tích" tab: coverage by one dimension, or two as a cross table."""
    _scope, form, unit, level, as_of, _position = parameters()
    by = [d for d in (request.args.get("by"), request.args.get("by2")) if d in set(Dimension)]
    by = list(dict.fromkeys(by)) or [Dimension.SCHOOL_LEVEL.value]
    try:
        rows = coverage_breakdown(unit, level, as_of, by)
    except NotInForce:
        abort(404)
    names = {
        u.code: u.name
        for u in db.session.scalars(
            select(OrgUnit).where(OrgUnit.code.in_({r.get("child") for r in rows} - {None}))
        )
    }
    cells = [([breakdown_value(Dimension(d), r[d], names) for d in by], r) for r in rows]
    args = {k: v for k, v in request.args.items() if k not in ("by", "by2", "lang")}
    total, certified = sum(r["staff_total"] for r in rows), sum(r["certified"] for r in rows)
    return render_template(
        "coverage/analysis.html",
        form=form,
        unit=unit,
        level=level,
        as_of=as_of,
        by=by,
        cells=cells,
        args=args,
        dimensions=DIMENSION_LABELS,
        total=total,
        certified=certified,
        percent=percent_of(certified, total),
    )


@bp.route("/coverage/report.pdf")
@login_required
def report():
    from .report import coverage_report

    _scope, _form, unit, level, as_of, position = parameters()
    head, rows = figures_or_404(unit, level, as_of, position)
    pdf = coverage_report(head, rows, level=level, as_of=as_of)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="coverage-{unit.code}-{as_of}.pdf"'},
    )


@bp.route("/coverage/targets", methods=["GET", "POST"])
@login_required
def targets():
    scope = dashboard_scope(Capability.SET_TARGETS)
    form = TargetForm()
    form.level.choices = [(lv.code, lv.name_vi) for lv in all_levels()]
    if request.method == "GET":
        form.year.data = local_today().year
    if form.validate_on_submit():
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == form.org.data.strip()))
        if unit is None or not scope.can_see_unit(unit) or not may_set_target(scope, unit):
            form.org.errors.append(_("You may set targets only for units below yours."))
        else:
            try:
                set_target(
                    unit,
                    level_or_none(form.level.data),
                    form.year.data,
                    form.percent.data,
                    actor=current_user,
                )
            except InvalidInput:
                form.percent.errors.append(_("A percent from 0 to 100."))
                return render_template("coverage/targets.html", form=form), 422
            else:
                flash(_("Target saved."), "success")
                return redirect(url_for("coverage.dashboard", org=unit.code, level=form.level.data))
    return render_template("coverage/targets.html", form=form)
