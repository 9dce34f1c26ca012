"""Translated labels of the codes stored in the database."""

from flask_babel import lazy_gettext as _l

from .certificates.values import CertificateStatus
from .org.values import Gender, Position, StaffStatus, UnitKind
from .training.labels import ATTENDANCE, REQUEST_STATUSES, SESSION_STATUSES

# One label per member of each enum (a test checks that none is missing).
POSITIONS = {
    Position.TEACHER: _l("Teacher"),
    Position.IT_TEACHER: _l("IT teacher"),
    Position.MANAGER: _l("Manager"),
    Position.STAFF: _l("Support staff"),
}
KINDS = {
    UnitKind.PROVINCE: _l("Province"),
    UnitKind.DISTRICT: _l("District"),
    UnitKind.COMMUNE: _l("Commune"),
    UnitKind.SCHOOL: _l("School"),
    UnitKind.DEPARTMENT: _l("Department"),
    UnitKind.OTHER: _l("Other"),
}
SCHOOL_LEVELS = {
    "mam_non": _l("Preschool"),
    "tieu_hoc": _l("Primary"),
    "thcs": _l("Lower secondary"),
    "thpt": _l("Upper secondary"),
    "lien_cap": _l("Multi-level"),
    "gdtx": _l("Continuing education"),
    "other": _l("Other"),
}
IMPORT_FIELDS = {
    "staff_code": _l("Staff code"),
    "moet_id": _l("National ID (MOET)"),
    "full_name": _l("Full name"),
    "org_code": _l("Unit code"),
    "position": _l("Position"),
    "gender": _l("Gender"),
    "birth_date": _l("Birth date"),
    "ethnicity": _l("Ethnicity"),
    "email": _l("Email"),
    "phone": _l("Phone"),
    "status": _l("Status"),
    "code": _l("Code"),
    "name": _l("Name"),
    "kind": _l("Kind"),
    "parent_code": _l("Parent unit code"),
    "school_level": _l("School level"),
    "disadvantaged": _l("Disadvantaged area"),
}
STATUSES = {StaffStatus.ACTIVE: _l("Active"), StaffStatus.INACTIVE: _l("Inactive")}
GENDERS = {Gender.MALE: _l("Male"), Gender.FEMALE: _l("Female"), Gender.OTHER: _l("Other")}
CERTIFICATE_STATUSES = {
    CertificateStatus.VALID: _l("Valid"),
    CertificateStatus.REVOKED: _l("Revoked"),
    CertificateStatus.SUPERSEDED: _l("Superseded"),
    CertificateStatus.EXPIRED: _l("Expired"),
}

WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


def label(mapping, code):
    """The label of ``code`` in ``mapping``, or the code itself."""
    return mapping.get(code, code) if code else ""


def register_labels(app):
    """Make the label maps available in templates."""

    @app.context_processor
    def labels():
        return {
            "position_label": lambda code: label(POSITIONS, code),
            "kind_label": lambda code: label(KINDS, code),
            "school_level_label": lambda code: label(SCHOOL_LEVELS, code),
            "status_label": lambda code: label(STATUSES, code),
            "gender_label": lambda code: label(GENDERS, code),
            "certificate_status_label": lambda code: label(CERTIFICATE_STATUSES, code),
            "session_status_label": lambda code: label(SESSION_STATUSES, code),
            "attendance_label": lambda code: label(ATTENDANCE, code),
            "request_status_label": lambda code: label(REQUEST_STATUSES, code),
            "weekday": lambda day: WEEKDAYS[day.weekday()],
        }
