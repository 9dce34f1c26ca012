"""Module, level, issuing profile and certificate design forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import TranslatedForm, UnitCodeField
from ..org.fields import PlainLines, PlainText


class LevelForm(TranslatedForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[a-z0-9_-]+$", message=_l("Lower-case letters, digits, - and _.")),
        ],
    )
    name_vi = StringField(
        _l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=255), PlainText()]
    )
    name_en = StringField(
        _l("Name (English)"), validators=[DataRequired(), Length(max=255), PlainText()]
    )
    rank = IntegerField(_l("Rank"), validators=[DataRequired(), NumberRange(min=1, max=99)])
    required = SelectMultipleField(_l("Required modules"), validators=[Optional()])
    electives = SelectMultipleField(_l("Elective modules"), validators=[Optional()])
    min_electives = IntegerField(
        _l("Electives needed"), default=0, validators=[Optional(), NumberRange(min=0, max=20)]
    )
    prerequisite = SelectField(_l("Prerequisite level"), validators=[Optional()])


class IssuingProfileForm(TranslatedForm):
    org = UnitCodeField(_l("Unit"), validators=[DataRequired(), Length(max=64)])
    issuer_name = StringField(
        _l("Issuing unit (printed)"), validators=[DataRequired(), Length(max=255), PlainText()]
    )
    signatory_name = StringField(
        _l("Signatory's name"), validators=[Optional(), Length(max=255), PlainText()]
    )
    signatory_title = StringField(
        _l("Signatory's title"), validators=[DataRequired(), Length(max=255), PlainText()]
    )
    place_name = StringField(
        _l("Place (before the date)"), validators=[Optional(), Length(max=100), PlainText()]
    )


class DesignForm(TranslatedForm):
    """A certificate design: scope, words, colours, blocks, page, images."""

    name = StringField(
        _l("Name of the design"), validators=[DataRequired(), Length(max=120), PlainText()]
    )
    org = UnitCodeField(
        _l("Unit (empty: the whole province)"), validators=[Optional(), Length(max=64)]
    )
    level = SelectField(_l("Level"), choices=[], validate_choice=False)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120), PlainText()])
    subtitle = StringField(_l("Subtitle"), validators=[Optional(), Length(max=120), PlainText()])
    body = TextAreaField(
        _l("Sentences, one per line"),
        validators=[Length(max=2400), PlainLines()],
        render_kw={"rows": 5},
    )
    orientation = SelectField(
        _l("Page"), choices=[("landscape", _l("A4 landscape")), ("portrait", _l("A4 portrait"))]
    )
    colour_primary = StringField(
        _l("Main colour"), validators=[Regexp(r"^#[0-9a-fA-F]{6}$")], render_kw={"type": "color"}
    )
    colour_accent = StringField(
        _l("Accent colour"), validators=[Regexp(r"^#[0-9a-fA-F]{6}$")], render_kw={"type": "color"}
    )
    colour_title = StringField(
        _l("Title colour"), validators=[Regexp(r"^#[0-9a-fA-F]{6}$")], render_kw={"type": "color"}
    )
    colour_text = StringField(
        _l("Text colour"), validators=[Regexp(r"^#[0-9a-fA-F]{6}$")], render_kw={"type": "color"}
    )
    blocks = SelectMultipleField(
        _l("Blocks shown"),
        choices=[
            ("frame", _l("Frame")),
            ("motto", _l("National motto")),
            ("emblem", _l("Emblem")),
            ("modules", _l("Modules")),
            ("qr", _l("QR code")),
            ("signature", _l("Signature")),
        ],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    emblem = FileField(_l("Emblem or logo (PNG or SVG, at most 256 kB)"))
    signature = FileField(_l("Signature image (PNG or SVG, at most 256 kB)"))
    remove_emblem = BooleanField(_l("Remove the emblem image"))
    remove_signature = BooleanField(_l("Remove the signature image"))
