"""Filters of the staff list (GET forms, no CSRF)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FileField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..labels import POSITIONS, STATUSES


class StaffFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or staff code"), validators=[Optional(), Length(max=100)])
    org = StringField(_l("Unit code"), validators=[Optional(), Length(max=64)])
    position = SelectField(_l("Position"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    certified = SelectField(_l("Basic IT certificate"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.position.choices = [("", _l("All"))] + list(POSITIONS.items())
        self.status.choices = [("", _l("All"))] + list(STATUSES.items())
        self.certified.choices = [("", _l("All")), ("yes", _l("Certified")),
                                  ("no", _l("Not certified"))]


class ImportUploadForm(FlaskForm):
    kind = SelectField(_l("What the file contains"), validators=[DataRequired()], choices=[
        ("orgunits", _l("Org units (code, name, kind, parent_code)")),
        ("staff", _l("Staff (staff_code, full_name, org_code, position, …)")),
        ("certificates", _l("External certificates (staff_code, level, number, issued_on, "
                            "issuer, expires_on)")),
        ("targets", _l("Targets (org_code, level, year, percent)")),
    ])
    file = FileField(_l("CSV (UTF-8) or XLSX file"), validators=[DataRequired()])


class BulkAccountsForm(FlaskForm):
    org = StringField(_l("Unit code"), validators=[DataRequired(), Length(max=64)])


class ReorganisationUploadForm(FlaskForm):
    file = FileField(_l("Reorganisation file (code, action, on, to_code, name)"),
                     validators=[DataRequired()])
