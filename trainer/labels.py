"""Translated labels of the codes stored in the database."""

from flask_babel import lazy_gettext as _l

POSITIONS = {
    "teacher": _l("Teacher"),
    "it_teacher": _l("IT teacher"),
    "manager": _l("Manager"),
    "staff": _l("Support staff"),
}
KINDS = {
    "province": _l("Province"),
    "district": _l("District"),
    "commune": _l("Commune"),
    "school": _l("School"),
    "department": _l("Department"),
    "other": _l("Other"),
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
STATUSES = {"active": _l("Active"), "inactive": _l("Inactive")}
GENDERS = {"male": _l("Male"), "female": _l("Female"), "other": _l("Other")}
CERTIFICATE_STATUSES = {
    "valid": _l("Valid"),
    "revoked": _l("Revoked"),
    "superseded": _l("Superseded"),
    "expired": _l("Expired"),
}

SESSION_STATUSES = {
    "scheduled": _l("Scheduled"),
    "held": _l("Held"),
    "cancelled": _l("Cancelled"),
}
ATTENDANCE = {
    "present": _l("Present"),
    "late": _l("Late"),
    "excused": _l("Excused"),
    "absent": _l("Absent"),
}
REQUEST_STATUSES = {
    "pending": _l("Waiting for the trainer"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
}
WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
            _l("Saturday"), _l("Sunday"))


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
