"""Scheduling, enrolment, check-in and result forms."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..bounds import BoundedDateField
from ..curriculum.values import SCORE
from ..forms import StaffCodeField, TranslatedForm, UnitCodeField
from ..org.fields import PlainText
from .values import CAPACITY, LATE_AFTER_MINUTES, LOCATION, TITLE, WEEKS

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def in_range(limit):
    """The form's validator of a ``Limit`` the service also checks."""
    return NumberRange(min=limit.minimum, max=limit.maximum)


def local_datetime(day, moment):
    """An aware datetime from a local (Asia/Ho_Chi_Minh) date and time."""
    return datetime.combine(day, moment or time(0, 0), tzinfo=LOCAL)


class SessionForm(TranslatedForm):
    module = SelectField(_l("Module"), coerce=int, validators=[DataRequired()])
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=TITLE.maximum), PlainText()]
    )
    trainer = SelectField(_l("Trainer"), coerce=int, validators=[DataRequired()])
    venue = UnitCodeField(_l("Venue"), validators=[DataRequired(), Length(max=64)])
    location = StringField(
        _l("Room or address"), validators=[Optional(), Length(max=LOCATION.maximum), PlainText()]
    )
    day = BoundedDateField(_l("Date"), validators=[DataRequired()])
    start = TimeField(_l("Starts at"), validators=[DataRequired()])
    end = TimeField(_l("Ends at"), validators=[DataRequired()])
    capacity = IntegerField(
        _l("Places"), default=30, validators=[DataRequired(), in_range(CAPACITY)]
    )
    weeks = IntegerField(
        _l("Repeat weekly for (weeks)"), default=1, validators=[Optional(), in_range(WEEKS)]
    )
    late_after_minutes = IntegerField(
        _l("Late after (minutes)"),
        default=10,
        validators=[Optional(), in_range(LATE_AFTER_MINUTES)],
    )

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("The session must end after it starts."))

    @property
    def starts_at(self):
        return local_datetime(self.day.data, self.start.data)

    @property
    def ends_at(self):
        return local_datetime(self.day.data, self.end.data)


class EnrollForm(TranslatedForm):
    staff_codes = StringField(_l("Staff codes"), validators=[Optional(), Length(max=5000)])
    school = UnitCodeField(_l("Or a whole school"), validators=[Optional(), Length(max=64)])


class DeclineForm(TranslatedForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500), PlainText()])


def without_spaces(value):
    """``427 730`` as shown on the trainer's screen is ``427730``."""
    return "".join(value.split()) if isinstance(value, str) else value


class CheckInCodeForm(TranslatedForm):
    # no maxlength: a phone stops at 6 characters and the space typed as shown would cut one
    code = StringField(
        _l("The 6-digit code shown by the trainer"),
        filters=[without_spaces],
        validators=[
            DataRequired(),
            Regexp(r"^\d{6}$", message=_l("Enter the 6 digits shown by the trainer.")),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class SessionFilterForm(TranslatedForm):
    class Meta:
        csrf = False

    org = UnitCodeField(_l("Unit"), validators=[Optional(), Length(max=64)])
    module = SelectField(_l("Module"), validators=[Optional()])
    trainer = StaffCodeField(_l("Trainer"), validators=[Optional(), Length(max=64)])
    date_from = BoundedDateField(_l("From"), validators=[Optional()])
    date_to = BoundedDateField(_l("To"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])


class ResultForm(TranslatedForm):
    module = SelectField(_l("Module"), validators=[DataRequired()])
    score = DecimalField(
        _l("Score (0–100)"),
        places=2,
        validators=[DataRequired(), NumberRange(min=SCORE.minimum, max=SCORE.maximum)],
    )
    assessed_on = BoundedDateField(_l("Assessed on"), validators=[Optional()])
