"""Result, module and level forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..org.fields import PlainText


class ResultForm(FlaskForm):
    module = SelectField(_l("Module"), validators=[DataRequired()])
    score = DecimalField(_l("Score (0–100)"), places=2,
                         validators=[DataRequired(), NumberRange(min=0, max=100)])
    assessed_on = DateField(_l("Assessed on"), validators=[Optional()])


class LevelForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32),
                                               Regexp(r"^[a-z0-9_-]+$", message=_l(
                                                   "Lower-case letters, digits, - and _."))])
    name_vi = StringField(_l("Name (Vietnamese)"),
                          validators=[DataRequired(), Length(max=255), PlainText()])
    name_en = StringField(_l("Name (English)"),
                          validators=[DataRequired(), Length(max=255), PlainText()])
    rank = IntegerField(_l("Rank"), validators=[DataRequired(), NumberRange(min=1, max=99)])
    required = SelectMultipleField(_l("Required modules"), validators=[Optional()])
    electives = SelectMultipleField(_l("Elective modules"), validators=[Optional()])
    min_electives = IntegerField(_l("Electives needed"), default=0,
                                 validators=[Optional(), NumberRange(min=0, max=20)])
    prerequisite = SelectField(_l("Prerequisite level"), validators=[Optional()])


class IssuingProfileForm(FlaskForm):
    org = StringField(_l("Unit code"), validators=[DataRequired(), Length(max=64)])
    issuer_name = StringField(_l("Issuing unit (printed)"),
                              validators=[DataRequired(), Length(max=255), PlainText()])
    signatory_name = StringField(_l("Signatory's name"),
                                 validators=[Optional(), Length(max=255), PlainText()])
    signatory_title = StringField(_l("Signatory's title"),
                                  validators=[DataRequired(), Length(max=255), PlainText()])
    place_name = StringField(_l("Place (before the date)"),
                             validators=[Optional(), Length(max=100), PlainText()])
