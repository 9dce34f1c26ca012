"""The base of every form: WTForms' and Flask-WTF's own messages ("This field is required.")
in the user's language, from the app's catalogue (WTForms ships no Vietnamese)."""

from flask import g, url_for
from flask_babel import get_translations, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField
from wtforms.widgets import html_params


class CatalogueTranslations:
    """WTForms' translations interface, answered by the app's Flask-Babel catalogue of the
    request's language."""

    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = CatalogueTranslations()


class TranslatedForm(FlaskForm):
    """A Flask-WTF form whose built-in validator and field messages speak the user's language;
    every form of the app derives from it (tests/test_i18n.py checks)."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS


#: The built-in messages of WTForms and Flask-WTF, listed here so that ``make i18n`` extracts
#: them into the catalogue; tests/test_i18n.py compares the list with the installed libraries.
BUILT_IN_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Choices cannot be None."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Invalid field name '%s'."),
    _l("Field must be equal to %(other_name)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid IP address."),
    _l("Invalid Mac address."),
    _l("Invalid URL."),
    _l("Invalid UUID."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("Invalid CSRF Token."),
    _l("CSRF token missing."),
    _l("CSRF failed."),
    _l("CSRF token expired."),
    _l("File does not have an approved extension."),
    _l("File does not have an approved extension: {extensions}"),
    lazy_ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    ),
    lazy_ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    ),
    lazy_ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
    lazy_ngettext(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    ),
)


def picker_attributes(kind):
    """The attributes that turn a plain code field into a picker (static/js/picker.js):
    where its suggestions come from (``units`` or ``staff``) and the words it says. Without
    the script it stays a field where the code is typed. The page then loads the script
    (base.html asks ``g.picker_used`` after the content): pages without a picker do not."""
    g.picker_used = True
    return {
        "data-picker": url_for(f"directory.pick_{kind}"),
        "data-picker-count": _(
            "%(n)s suggestion(s): arrow keys to choose, Enter to pick.", n="{n}"
        ),
        "data-picker-more": _("More match: type more of the name."),
        "data-picker-none": _("No match. Type part of the name or the code."),
        "autocomplete": "off",
        "spellcheck": "false",
        "placeholder": _("Part of the name, or the code")
        if kind == "units"
        else _("Part of the name, or the staff code"),
    }


def picker(kind):
    """``picker_attributes`` as HTML attributes, for a field written out in a template."""
    # html_params escapes every value (our own URL and catalogue messages): safe as markup
    return Markup(html_params(**picker_attributes(kind)))  # nosec B704


#: How many of several matches a picker field's error names.
SHOWN_MATCHES = 5


class PickerField(StringField):
    """A code field (the value stays the code) that suggests matches as the user types.

    Without JavaScript, or when nobody chose a suggestion, a name may be typed instead of the
    code ("Trường THCS Huổi Mí", "huoi mi"): when it is not a code and matches exactly one
    unit (person) in the user's scope, the field holds that one's code; when it matches
    several, the field's error names up to five with their codes; when it matches none, the
    text stays for the view to refuse as an unknown code."""

    picker = "units"

    def __call__(self, **kwargs):
        for name, value in picker_attributes(self.picker).items():
            kwargs.setdefault(name, value)
        return super().__call__(**kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = (self.data or "").strip()
        if not text or self.is_code(text):
            return
        from flask_login import current_user

        from .accounts.scope import scope_for
        from .org.search import BadQuery, check_query

        scope = scope_for(current_user)
        if scope.user is None:
            return
        try:
            check_query(text)
        except BadQuery:
            return
        found = self.matches(scope, text)
        if len(found) == 1:
            self.data = found[0][0]
        elif found:
            listed = "; ".join(f"{name} ({code})" for code, name in found[:SHOWN_MATCHES])
            raise ValueError(
                _(
                    "Several match “%(text)s”: %(listed)s. Choose one, or type its code.",
                    text=text,
                    listed=listed,
                )
            )

    def is_code(self, text):
        raise NotImplementedError

    def matches(self, scope, text):
        """``[(code, name)]`` of what ``text`` names in ``scope``: the one whose whole name
        it is when there is exactly one, else every match (up to a few)."""
        raise NotImplementedError


def _only_exact(text, found):
    from .org.text import fold

    exact = [item for item in found if fold(item[1]) == fold(text)]
    return exact if len(exact) == 1 else found


class UnitCodeField(PickerField):
    """A unit's code, picked by typing part of its name (accents optional) or its code."""

    picker = "units"

    def is_code(self, text):
        from sqlalchemy import select

        from .extensions import db
        from .org.models import OrgUnit

        return db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == text)) is not None

    def matches(self, scope, text):
        from .org.search import search_units
        from .timeutil import local_today

        units, _more = search_units(scope.unit_condition(), text, local_today())
        return _only_exact(text, [(unit.code, unit.name) for unit in units])


class StaffCodeField(PickerField):
    """A staff code, picked by typing part of the person's name (accents optional) or code."""

    picker = "staff"

    def is_code(self, text):
        from sqlalchemy import select

        from .extensions import db
        from .org.models import Staff

        return db.session.scalar(select(Staff.id).where(Staff.staff_code == text)) is not None

    def matches(self, scope, text):
        from .org.search import search_staff

        people, _more = search_staff(scope, text)
        return _only_exact(text, [(person.staff_code, person.full_name) for person in people])
