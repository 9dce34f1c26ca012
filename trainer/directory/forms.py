"""Filters of the staff list (GET forms, no CSRF)."""

from flask_babel import lazy_gettext as _l
from wtforms import FileField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import TranslatedForm, UnitCodeField
from ..labels import POSITIONS, SCHOOL_LEVELS, STATUSES


class StaffFilterForm(TranslatedForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or staff code"), validators=[Optional(), Length(max=100)])
    org = UnitCodeField(_l("Unit"), validators=[Optional(), Length(max=64)])
    position = SelectField(_l("Position"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    certified = SelectField(_l("Basic IT certificate"), validators=[Optional()])
    ethnic_minority = SelectField(_l("Ethnic minority"), validators=[Optional()])
    school_level = SelectField(_l("School level"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.position.choices = [("", _l("All"))] + list(POSITIONS.items())
        self.status.choices = [("", _l("All"))] + list(STATUSES.items())
        self.certified.choices = [
            ("", _l("All")),
            ("yes", _l("Certified")),
            ("no", _l("Not certified")),
        ]
        self.ethnic_minority.choices = [
            ("", _l("All")),
            ("yes", _l("Ethnic minority")),
            ("no", _l("Kinh")),
            ("unknown", _l("Not recorded")),
        ]
        self.school_level.choices = [("", _l("All"))] + list(SCHOOL_LEVELS.items())


class ImportUploadForm(TranslatedForm):
    kind = SelectField(
        _l("What the file contains"),
        validators=[DataRequired()],
        choices=[
            ("orgunits", _l("Org units (code, name, kind, parent_code)")),
            ("staff", _l("Staff (staff_code, full_name, org_code, position, …)")),
            (
                "certificates",
                _l(
                    "External certificates (staff_code, level, number, issued_on, "
                    "issuer, expires_on)"
                ),
            ),
            ("targets", _l("Targets (org_code, level, year, percent)")),
        ],
    )
    file = FileField(_l("CSV (UTF-8) or XLSX file"), validators=[DataRequired()])
    mapping = SelectField(_l("Saved column mapping"), validators=[Optional()], choices=[])

    def __init__(self, *args, mappings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.mapping.choices = [
            ("", _l("None: our column names or the usual Vietnamese headers"))
        ] + [(m.name, f"{m.name} ({m.kind})") for m in mappings]


class BulkAccountsForm(TranslatedForm):
    org = UnitCodeField(_l("Unit"), validators=[DataRequired(), Length(max=64)])


class ReorganisationUploadForm(TranslatedForm):
    file = FileField(
        _l("Reorganisation file (code, action, on, to_code, name)"), validators=[DataRequired()]
    )
