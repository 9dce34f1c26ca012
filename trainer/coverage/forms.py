"""Dashboard filters and the target form."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..bounds import BoundedDateField
from ..forms import TranslatedForm, UnitCodeField
from ..labels import POSITIONS
from .values import TARGET_PERCENT, TARGET_YEAR


class CoverageFilterForm(TranslatedForm):
    class Meta:
        csrf = False

    org = UnitCodeField(_l("Unit"), validators=[Optional(), Length(max=64)])
    level = SelectField(_l("Level"), validators=[Optional()])
    as_of = BoundedDateField(_l("As of"), validators=[Optional()])
    position = SelectField(_l("Position"), validators=[Optional()])

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.level.choices = [(lv.code, lv.name(get_locale())) for lv in levels]
        self.position.choices = [("", _l("All"))] + list(POSITIONS.items())


class TargetForm(TranslatedForm):
    org = UnitCodeField(_l("Unit"), validators=[DataRequired(), Length(max=64)])
    level = SelectField(_l("Level"), validators=[DataRequired()])
    year = IntegerField(
        _l("Year"),
        validators=[DataRequired(), NumberRange(min=TARGET_YEAR.minimum, max=TARGET_YEAR.maximum)],
    )
    percent = DecimalField(
        _l("Target, percent"),
        places=1,
        validators=[
            InputRequired(),
            NumberRange(min=TARGET_PERCENT.minimum, max=TARGET_PERCENT.maximum),
        ],
    )
