"""The staff list's query and its export rows, shared by the pages and the export job."""

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..certificates.held_levels import holder_ids
from ..certificates.models import Certificate
from ..extensions import db
from ..labels import POSITIONS, SCHOOL_LEVELS, STATUSES, label
from ..org.models import Staff
from ..org.services import staff_query
from ..timeutil import local_today

BASIC_RANK = 1


def filtered_staff(form, scope):
    """The staff select for the list and its exports, from the filter form."""
    # a name matching several units: the page says which (the filter unused), no export
    unit = scope.unit_or_404(form.org.data) if form.org.data and not form.org.errors else None
    certified = {"yes": True, "no": False}.get(form.certified.data)
    return staff_query(
        scope,
        q=form.q.data,
        unit=unit,
        position=form.position.data or None,
        status=form.status.data or None,
        certified=certified,
        certified_ids=holder_ids(BASIC_RANK, local_today()),
        ethnic_minority=form.ethnic_minority.data or None,
        school_level=form.school_level.data or None,
    ).options(joinedload(Staff.org_unit))


def certified_among(staff_ids):
    """The subset of ``staff_ids`` holding a basic certificate today."""
    if not staff_ids:
        return set()
    held = holder_ids(BASIC_RANK, local_today()).where(Certificate.staff_id.in_(staff_ids))
    return set(db.session.scalars(held))


def yes_no(value):
    """ "Yes", "No", or empty when unknown (None)."""
    return "" if value is None else _("Yes") if value else _("No")


def export_header():
    return [
        _("Staff code"),
        _("Full name"),
        _("Unit code"),
        _("Unit"),
        _("Position"),
        _("Gender"),
        _("Birth date"),
        _("Email"),
        _("Phone"),
        _("Status"),
        _("Basic IT certificate"),
        _("National ID (MOET)"),
        _("Ethnicity"),
        _("Ethnic minority"),
        _("School level"),
        _("Disadvantaged area"),
    ]


def export_rows(rows, progress=None):
    """One list per staff member, in the header's order (``progress`` counts them)."""
    certified = certified_among([s.id for s in rows])
    for s in rows:
        if progress:
            progress(1)
        yield [
            s.staff_code,
            s.full_name,
            s.org_unit.code,
            s.org_unit.name,
            str(label(POSITIONS, s.position)),
            s.gender or "",
            s.birth_date,
            s.email,
            s.phone,
            str(label(STATUSES, s.status)),
            yes_no(s.id in certified),
            s.moet_id,
            s.ethnicity,
            yes_no(s.ethnic_minority),
            str(label(SCHOOL_LEVELS, s.org_unit.school_level)),
            yes_no(s.org_unit.disadvantaged),
        ]
