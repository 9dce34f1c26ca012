"""Data completeness per school and the chase list (issue 19, item 4).

Per school of a unit's subtree as it stands today: when its roster last changed, held
sessions with no attendance entered, held sessions with attendees but no result in their
module for any of them, and active staff without MOET id, ethnicity or birth date. Each
figure is one SQL ``GROUP BY`` over the subtree; Python only joins them by school.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, or_, select

from ..curriculum.models import Result
from ..extensions import db
from ..org.models import OrgUnit, Staff
from ..org.periods import StaffPeriod
from ..org.values import UnitKind
from ..timeutil import local_date, local_today
from ..training.models import Enrollment, TrainingSession

#: the counts a chase list adds up, in the order of its columns
MISSING = (
    "sessions_without_attendance",
    "sessions_without_results",
    "staff_without_moet_id",
    "staff_without_ethnicity",
    "staff_without_birth_date",
)


@dataclass
class SchoolData:
    """What a school has and has not entered."""

    code: str
    name: str
    staff: int = 0
    roster_changed_on: date | None = None
    sessions_without_attendance: int = 0
    sessions_without_results: int = 0
    staff_without_moet_id: int = 0
    staff_without_ethnicity: int = 0
    staff_without_birth_date: int = 0

    @property
    def missing(self):
        return sum(getattr(self, name) for name in MISSING)


def blank(column):
    return or_(column.is_(None), column == "")


def schools_of(unit):
    """{school id: SchoolData} of the schools in force today in ``unit``'s subtree."""
    today = local_today()
    rows = db.session.execute(
        select(OrgUnit.id, OrgUnit.code, OrgUnit.name).where(
            OrgUnit.in_subtree(unit.path),
            OrgUnit.kind == UnitKind.SCHOOL.value,
            or_(OrgUnit.valid_from.is_(None), OrgUnit.valid_from <= today),
            or_(OrgUnit.valid_to.is_(None), OrgUnit.valid_to >= today),
        )
    )
    return {uid: SchoolData(code, name) for uid, code, name in rows}


def _staff_gaps(ids):
    return db.session.execute(
        select(
            Staff.org_unit_id,
            func.count(),
            func.sum(case((blank(Staff.moet_id), 1), else_=0)),
            func.sum(case((blank(Staff.ethnicity), 1), else_=0)),
            func.sum(case((Staff.birth_date.is_(None), 1), else_=0)),
        )
        .where(Staff.org_unit_id.in_(ids), Staff.status == "active")
        .group_by(Staff.org_unit_id)
    )


def _roster_dates(ids):
    """{school id: the last day a staff period there began, or the day after one ended}."""
    result = {}
    periods = db.session.execute(
        select(
            StaffPeriod.org_unit_id,
            func.max(StaffPeriod.valid_from),
            func.max(StaffPeriod.valid_to),
        )
        .where(StaffPeriod.org_unit_id.in_(ids))
        .group_by(StaffPeriod.org_unit_id)
    )
    for uid, began, ended in periods:
        days = [as_date(began), as_date(ended) + timedelta(days=1) if ended else None]
        result[uid] = max((d for d in days if d), default=None)
    edits = db.session.execute(
        select(Staff.org_unit_id, func.max(Staff.updated_at))
        .where(Staff.org_unit_id.in_(ids))
        .group_by(Staff.org_unit_id)
    )
    for uid, at in edits:
        if at is not None:
            day = local_date(at)
            result[uid] = max(d for d in (result.get(uid), day) if d)
    return result


def as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _session_gaps(ids):
    """{school id: (held sessions without attendance, with attendees but no results)}."""
    marked = exists().where(
        Enrollment.session_id == TrainingSession.id, Enrollment.status.is_not(None)
    )
    attended = exists().where(
        Enrollment.session_id == TrainingSession.id, Enrollment.status.in_(("present", "late"))
    )
    scored = exists().where(
        Enrollment.session_id == TrainingSession.id,
        Enrollment.status.in_(("present", "late")),
        Result.staff_id == Enrollment.staff_id,
        Result.module_id == TrainingSession.module_id,
    )
    rows = db.session.execute(
        select(
            TrainingSession.org_unit_id,
            func.sum(case((~marked, 1), else_=0)),
            func.sum(case((and_(attended, ~scored), 1), else_=0)),
        )
        .where(TrainingSession.org_unit_id.in_(ids), TrainingSession.status == "held")
        .group_by(TrainingSession.org_unit_id)
    )
    return {uid: (int(a or 0), int(r or 0)) for uid, a, r in rows}


def completeness(unit):
    """[SchoolData] of every school in ``unit``'s subtree today, by name."""
    schools = schools_of(unit)
    ids = list(schools)
    if not ids:
        return []
    for uid, staff, moet, ethnicity, birth in _staff_gaps(ids):
        school = schools[uid]
        school.staff = staff
        school.staff_without_moet_id = int(moet or 0)
        school.staff_without_ethnicity = int(ethnicity or 0)
        school.staff_without_birth_date = int(birth or 0)
    for uid, day in _roster_dates(ids).items():
        schools[uid].roster_changed_on = day
    for uid, (no_attendance, no_results) in _session_gaps(ids).items():
        schools[uid].sessions_without_attendance = no_attendance
        schools[uid].sessions_without_results = no_results
    return sorted(schools.values(), key=lambda s: (s.name, s.code))


def urgency(school):
    """Sort key: most missing first, then the oldest roster, then by name."""
    return (-school.missing, school.roster_changed_on or date.min, school.name)


def chase_list(unit):
    """The schools with something missing, most urgent first."""
    return sorted((s for s in completeness(unit) if s.missing), key=urgency)


def completeness_table(schools):
    """(header, body) of the chase list, as the page, CSV and XLSX show it."""
    header = [
        _("Unit code"),
        _("School"),
        _("Staff"),
        _("Roster last changed"),
        _("Held sessions without attendance"),
        _("Held sessions without results"),
        _("Staff without MOET id"),
        _("Staff without ethnicity"),
        _("Staff without birth date"),
        _("Missing in all"),
    ]
    body = [
        [
            s.code,
            s.name,
            s.staff,
            s.roster_changed_on,
            *(getattr(s, name) for name in MISSING),
            s.missing,
        ]
        for s in schools
    ]
    return header, body
