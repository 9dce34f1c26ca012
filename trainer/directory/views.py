"""Org tree, staff list and export, staff profile."""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.decorators import capability_required
from ..accounts.scope import Capability, scope_for
from ..bounds import day_arg_or_error, page_arg
from ..certificates.held_levels import progress_for
from ..certificates.models import Certificate
from ..curriculum.models import Result
from ..curriculum.services import all_modules
from ..exports import table_response, wants_vietnamese_csv
from ..extensions import db
from ..filters import remembered_filters
from ..jobs.launch import launch
from ..org.services import unit_path
from ..org.structure import (
    active_staff_by_child,
    children_on,
    end_of_life,
    name_on,
    path_units_on,
    successor_of,
)
from ..pagination import count_rows, paginate
from ..timeutil import local_today
from ..training.forms import ResultForm
from .blueprint import bp
from .forms import StaffFilterForm
from .listing import certified_among, export_header, export_rows, filtered_staff


@bp.route("/org")
@capability_required(Capability.BROWSE_UNITS)
def org_root():
    unit = scope_for(current_user).home_unit()
    if unit is None:
        abort(404)
    return redirect(url_for("directory.org_unit", code=unit.code))


@bp.route("/org/<code>")
@capability_required(Capability.BROWSE_UNITS)
def org_unit(code):
    """A unit with the units under it, as the tree stood on ``as_of`` (default today)."""
    scope = scope_for(current_user)
    unit = scope.unit_or_404(code)
    # a bad date: the page for today with the error at its date field, answering 400
    as_of, date_error = day_arg_or_error("as_of", local_today())
    code_status = 400 if date_error else 200
    args = {"as_of": as_of.isoformat()} if "as_of" in request.args and not date_error else {}
    crumbs = scope.crumbs(path_units_on(unit, as_of))
    if not unit.in_force(as_of):
        return render_template(
            "directory/org_unit_closed.html",
            unit=unit,
            as_of=as_of,
            crumbs=crumbs,
            successor=successor_of(unit),
            ended_on=end_of_life(unit),
            args=args,
            date_error=date_error,
        ), code_status
    counts = active_staff_by_child(unit, as_of)
    children = [(child, name, counts.get(child.id, 0)) for child, name in children_on(unit, as_of)]
    return render_template(
        "directory/org_unit.html",
        unit=unit,
        name=name_on(unit, as_of),
        as_of=as_of,
        crumbs=crumbs,
        children=children,
        staff_total=sum(counts.values()),
        args=args,
        date_error=date_error,
    ), code_status


STAFF_FILTERS = ("org", "position", "status", "certified", "ethnic_minority", "school_level")


@bp.route("/staff")
@login_required
def staff_list():
    if (back := remembered_filters("directory.staff_list", STAFF_FILTERS)) is not None:
        return back
    form = StaffFilterForm(request.args)
    form.validate()
    page = paginate(
        filtered_staff(form, scope_for(current_user)),
        page_arg(),
        current_app.config["PAGE_SIZE"],
    )
    certified = certified_among([s.id for s in page.items])
    args = {k: v for k, v in request.args.items() if k not in ("page", "lang")}
    return render_template(
        "directory/staff_list.html", form=form, page=page, certified=certified, args=args
    ), 400 if form.org.errors else 200


@bp.route("/staff/export.<any(csv, xlsx):fmt>", methods=["GET", "POST"])
@capability_required(Capability.BROWSE_UNITS)
def staff_export(fmt):
    """The staff list with the filters of the query string, as a file. A list longer than
    ``EXPORT_INLINE_ROWS`` (a province's) is made by a job, and only the POST of the page the
    GET answers (with its CSRF token) starts it: a link, a prefetch or a crawler starts nothing."""
    form = StaffFilterForm(request.args)
    form.validate()
    if form.org.errors:  # a unit name matching several: not the whole scope's file instead
        abort(400)
    query = filtered_staff(form, scope_for(current_user))
    rows = count_rows(query)
    if rows > current_app.config["EXPORT_INLINE_ROWS"]:  # a province: a job
        if request.method != "POST":
            args = {k: v for k, v in request.args.items() if k not in ("format", "lang")}
            return render_template("directory/export_large.html", rows=rows, fmt=fmt, args=args)
        filters = {k: v for k, v in request.args.items() if k in form.data and v}
        params = {"filters": filters, "fmt": fmt, "vietnamese": wants_vietnamese_csv()}
        job = launch("directory.staff_export", params, user=current_user)
        return redirect(url_for("jobs.detail", job_id=job.id))
    rows = db.session.scalars(query).all()
    return table_response(fmt, "staff", export_header(), export_rows(rows), title=_("Staff"))


@bp.route("/staff/<code>")
@login_required
def staff_profile(code):
    staff = scope_for(current_user).staff_or_404(code)
    certificates = db.session.scalars(
        select(Certificate)
        .where(Certificate.staff_id == staff.id)
        .options(joinedload(Certificate.level))
        .order_by(Certificate.issued_on.desc())
    ).all()
    results = db.session.scalars(
        select(Result)
        .where(Result.staff_id == staff.id)
        .options(joinedload(Result.module))
        .order_by(Result.assessed_on.desc())
    ).all()
    result_form = ResultForm()
    result_form.module.choices = [
        (m.code, f"{m.code} · {m.name(get_locale())}") for m in all_modules()
    ]
    return render_template(
        "directory/staff_profile.html",
        staff=staff,
        crumbs=scope_for(current_user).crumbs((u, u.name) for u in unit_path(staff.org_unit)),
        certificates=certificates,
        today=local_today(),
        progress=progress_for(staff),
        results=results,
        result_form=result_form,
    )
