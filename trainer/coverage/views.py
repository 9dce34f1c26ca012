"""The coverage dashboard, its exports, the to-do list, training activity and targets."""

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.scope import Capability, scope_for
from ..bounds import date_arg, page_arg
from ..certificates.request_helpers import level_or_none
from ..curriculum.eligibility import all_levels
from ..errors import InvalidInput
from ..exports import table_response
from ..extensions import db
from ..jobs.launch import launch
from ..labels import POSITIONS, label
from ..org.models import OrgUnit
from ..org.structure import end_of_life, name_on, path_units_on, successor_of
from ..org.text import fold
from ..pagination import Page
from ..timeutil import local_today
from . import queries
from .breakdown import Dimension
from .cache import cached
from .charts import bar_chart, bar_chart_narrow, line_chart
from .completeness import chase_list, completeness_table
from .dimension_labels import DIMENSION_LABELS, breakdown_value
from .forms import CoverageFilterForm, TargetForm
from .levels import NONE, level_distribution, stacked_bars
from .services import (
    NotInForce,
    cached_coverage,
    coverage_by_structure_of,
    last_year,
    may_set_target,
    projection,
    set_target,
)
from .trend import trend
from .yearly import Structure, cached_breakdown, change, totals, year_on_year

bp = Blueprint("coverage", __name__)
SORTS = ("name", "staff_total", "certified", "percent", "target_percent", "gap")


def dashboard_scope(capability=Capability.VIEW_COVERAGE):
    return scope_for(current_user).require(capability)


def parameters(page=False):
    """(scope, form, unit, level, as_of, position) from the query string; 404 out of scope.

    A bad ``as_of`` answers 400: on a ``page`` with the filter form, that page for today
    with the error at the date field (``status(form)``); elsewhere (files) a bare 400."""
    scope = dashboard_scope()
    levels = all_levels()
    form = CoverageFilterForm(request.args, levels=levels)
    form.validate()
    # a name matching several units is the field's error (the page for one's own unit)
    picked = form.org.data and not form.org.errors
    unit = scope.unit_or_404(form.org.data) if picked else scope.home_unit()
    level = level_or_none(form.level.data or "basic")
    if unit is None or level is None:
        abort(404)
    form.level.data = level.code
    if not form.org.errors:
        form.org.data = unit.code
    if form.org.errors and not page:  # a file of another unit than the one asked for: no
        abort(400)
    if page and form.as_of.errors:
        as_of = local_today()
    else:
        as_of = date_arg("as_of", local_today())
    position = form.position.data if form.position.data in POSITIONS else None
    return scope, form, unit, level, as_of, position


def status(form):
    """400 when the page is shown again for a bad date or a unit name matching several
    units in its filter form, else 200."""
    return 400 if form.as_of.errors or form.org.errors else 200


def sorted_rows(rows):
    """The rows in the order asked for; by default the furthest from the target first (the
    units a head has to call). Rows without a value (no target) go last either way."""
    key = request.args.get("sort")
    if key not in SORTS:
        key, reverse = "gap", True
    else:
        reverse = request.args.get("dir") == "desc"
    if key == "name":
        return sorted(rows, key=lambda row: fold(row.name), reverse=reverse), key, reverse
    known = [row for row in rows if getattr(row, key) is not None]
    unknown = [row for row in rows if getattr(row, key) is None]
    known.sort(key=lambda row: (getattr(row, key), fold(row.name)), reverse=reverse)
    return known + sorted(unknown, key=lambda row: fold(row.name)), key, reverse


@bp.route("/coverage")
@login_required
def dashboard():
    scope, form, unit, level, as_of, position = parameters(page=True)
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
        bars_narrow=bar_chart_narrow(rows),
        line=line_chart(points, head.target_percent),
        line_narrow=line_chart(points, head.target_percent, narrow=True),
        projection=(state, months, add_months(as_of, months) if months else None),
        compare=compared(unit, level, as_of, position),
    ), status(form)


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
    )


@bp.route("/coverage/uncertified")
@bp.route("/coverage/uncertified.<any(csv, xlsx):fmt>")
@login_required
def uncertified(fmt=None):
    _scope, form, unit, level, as_of, position = parameters(page=not fmt)
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
    total = len(rows)
    search = (request.args.get("q") or "").strip()[:100]
    if search:  # accent-insensitive, on the name or the staff code
        words = fold(search).split()
        rows = [
            row
            for row in rows
            if all(w in fold(row[0].full_name) or w in row[0].staff_code.lower() for w in words)
        ]
    per_page = current_app.config["PAGE_SIZE"] * 2
    number = page_arg()
    page = Page(
        items=rows[(number - 1) * per_page : number * per_page],
        page=number,
        per_page=per_page,
        total=len(rows),
    )
    args = {k: v for k, v in request.args.items() if k not in ("lang", "page")}
    return render_template(
        "coverage/uncertified.html",
        form=form,
        unit=unit,
        level=level,
        page=page,
        total=total,
        search=search,
        args=args,
        back=url_for("coverage.dashboard", **{k: v for k, v in args.items() if k != "q"}),
    ), status(form)


@bp.route("/coverage/activity")
@bp.route("/coverage/activity.<any(csv, xlsx):fmt>")
@login_required
def activity(fmt=None):
    scope, form, unit, _level, as_of, _position = parameters()
    if not unit.in_force(as_of):  # a closed unit's export is not found, its page says why
        return abort(404) if fmt else not_in_force_page(unit, as_of)
    rows = queries.activity(unit, as_of)
    if fmt:
        header, body = queries.activity_table(rows)
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


@bp.route("/coverage/analysis")
@login_required
def analysis():
    """The "Phân tích" tab: coverage by one dimension, or two as a cross table, optionally
    beside last year's; and the staff of each unit by highest level held."""
    _scope, form, unit, level, as_of, _position = parameters(page=True)
    by = [d for d in (request.args.get("by"), request.args.get("by2")) if d in set(Dimension)]
    by = list(dict.fromkeys(by)) or [Dimension.SCHOOL_LEVEL.value]
    compare = request.args.get("compare")
    compare = Structure(compare) if compare in set(Structure) else None
    try:
        if compare:
            then, rows = year_on_year(unit, level, as_of, by, compare)
        else:
            then, rows = None, cached_breakdown(unit, level, as_of, by)
        keys, levels_head, level_rows = level_distribution(unit, as_of)
    except NotInForce:
        abort(404)
    codes = {r.get("child") for r in rows} - {None}
    names = dict(
        db.session.execute(select(OrgUnit.code, OrgUnit.name).where(OrgUnit.code.in_(codes))).all()
    )
    cells = [([breakdown_value(Dimension(d), r[d], names) for d in by], r) for r in rows]
    args = {k: v for k, v in request.args.items() if k not in ("by", "by2", "compare", "lang")}
    labels = level_labels(keys)
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
        compare=compare,
        then=then,
        now_totals=totals(rows),
        then_totals=totals(rows, "last_year_") if compare else None,
        total_change=change(totals(rows)[2], totals(rows, "last_year_")[2]) if compare else None,
        keys=keys,
        labels=labels,
        level_rows=level_rows,
        levels_head=levels_head,
        level_chart=stacked_bars(level_rows, keys, labels),
    ), status(form)


def level_labels(keys):
    """{column key: its label}: "no certificate" and the levels' names in the UI language."""
    names = {lv.code: lv.name(get_locale()) for lv in all_levels()}
    return {k: _("No certificate") if k == NONE else names.get(k, k) for k in keys}


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
    form.level.choices = [(lv.code, lv.name(get_locale())) for lv in all_levels()]
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


@bp.route("/coverage/completeness")
@bp.route("/coverage/completeness.<any(csv, xlsx):fmt>")
@login_required
def completeness(fmt=None):
    """The chase list: the schools of the unit with data missing, most missing first."""
    _scope, _form, unit, _level, _as_of, _position = parameters()
    schools = chase_list(unit)
    header, body = completeness_table(schools)
    if fmt:
        return table_response(
            fmt,
            f"completeness-{unit.code}",
            header,
            body,
            title=_("Data completeness"),
        )
    args = {k: v for k, v in request.args.items() if k != "lang"}
    return render_template(
        "coverage/completeness.html", unit=unit, header=header, body=body, args=args
    )


@bp.route("/coverage/pack.<any(xlsx, pdf):fmt>", methods=["POST"])
@login_required
def pack(fmt):
    """Start the report pack of the unit, level and date as a job; its page shows the
    progress, then the file."""
    _scope, _form, unit, level, as_of, _position = parameters()
    if not unit.in_force(as_of):
        abort(404)
    job = launch(
        "coverage.report_pack",
        {"org": unit.code, "level": level.code, "as_of": as_of.isoformat(), "fmt": fmt},
        user=current_user,
        org_unit=unit,
    )
    return redirect(url_for("jobs.detail", job_id=job.id))
