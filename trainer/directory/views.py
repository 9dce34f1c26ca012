"""Org tree, staff list and export, staff profile."""


from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.decorators import roles_required
from ..accounts.scope import scope_for
from ..certificates.forms import ResultForm
from ..certificates.holding import holder_ids
from ..certificates.models import Certificate, Result
from ..certificates.progress import progress_for
from ..certificates.services import all_modules
from ..exports import table_response
from ..extensions import db
from ..labels import POSITIONS, STATUSES, label
from ..org.models import Staff
from ..org.services import children_with_counts, count_active_staff, staff_query, unit_path
from ..pagination import paginate
from ..timeutil import local_today
from .forms import StaffFilterForm

bp = Blueprint("directory", __name__)

BASIC_RANK = 1
UNIT_ROLES = ("admin", "manager", "trainer")


@bp.route("/org")
@roles_required(*UNIT_ROLES)
def org_root():
    unit = scope_for(current_user).home_unit()
    if unit is None:
        abort(404)
    return redirect(url_for("directory.org_unit", code=unit.code))


@bp.route("/org/<code>")
@roles_required(*UNIT_ROLES)
def org_unit(code):
    unit = scope_for(current_user).unit_or_404(code)
    return render_template(
        "directory/org_unit.html", unit=unit, path=unit_path(unit),
        children=children_with_counts(unit), staff_total=count_active_staff(unit),
    )


def filtered_staff(form):
    """The staff select for the list and its exports, from the filter form."""
    scope = scope_for(current_user)
    unit = scope.unit_or_404(form.org.data) if form.org.data else None
    certified = {"yes": True, "no": False}.get(form.certified.data)
    return staff_query(
        scope, q=form.q.data, unit=unit, position=form.position.data or None,
        status=form.status.data or None, certified=certified,
        certified_ids=holder_ids(BASIC_RANK, local_today()),
    ).options(joinedload(Staff.org_unit))


def certified_among(staff_ids):
    """The subset of ``staff_ids`` holding a basic certificate today."""
    if not staff_ids:
        return set()
    held = holder_ids(BASIC_RANK, local_today()).where(Certificate.staff_id.in_(staff_ids))
    return set(db.session.scalars(held))


@bp.route("/staff")
@login_required
def staff_list():
    form = StaffFilterForm(request.args)
    form.validate()
    page = paginate(filtered_staff(form), request.args.get("page", 1, type=int),
                    current_app.config["PAGE_SIZE"])
    certified = certified_among([s.id for s in page.items])
    args = {k: v for k, v in request.args.items() if k not in ("page", "lang")}
    return render_template("directory/staff_list.html", form=form, page=page,
                           certified=certified, args=args)


@bp.route("/staff/export.<any(csv, xlsx):fmt>")
@roles_required(*UNIT_ROLES)
def staff_export(fmt):
    form = StaffFilterForm(request.args)
    form.validate()
    rows = db.session.scalars(filtered_staff(form)).all()
    certified = certified_among([s.id for s in rows])
    header = [_("Staff code"), _("Full name"), _("Unit code"), _("Unit"), _("Position"),
              _("Gender"), _("Birth date"), _("Email"), _("Phone"), _("Status"),
              _("Basic IT certificate")]
    body = (
        [s.staff_code, s.full_name, s.org_unit.code, s.org_unit.name,
         str(label(POSITIONS, s.position)), s.gender or "", s.birth_date, s.email, s.phone,
         str(label(STATUSES, s.status)), _("Yes") if s.id in certified else _("No")]
        for s in rows
    )
    return table_response(fmt, "staff", header, body, title=_("Staff"))


@bp.route("/staff/<code>")
@login_required
def staff_profile(code):
    staff = scope_for(current_user).staff_or_404(code)
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.staff_id == staff.id)
        .options(joinedload(Certificate.level)).order_by(Certificate.issued_on.desc())
    ).all()
    results = db.session.scalars(
        select(Result).where(Result.staff_id == staff.id)
        .options(joinedload(Result.module)).order_by(Result.assessed_on.desc())).all()
    result_form = ResultForm()
    result_form.module.choices = [(m.code, f"{m.code} · {m.name_vi}") for m in all_modules()]
    return render_template("directory/staff_profile.html", staff=staff,
                           path=unit_path(staff.org_unit), certificates=certificates,
                           today=local_today(), progress=progress_for(staff), results=results,
                           result_form=result_form,
                           manage=scope_for(current_user).role in ("admin", "trainer"))
