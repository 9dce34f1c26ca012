"""Language choice: ``?lang=`` on any page, kept in the session cookie; Vietnamese by default."""

from urllib.parse import urlencode

from flask import current_app, has_app_context, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale, refresh
from flask_babel import lazy_gettext as _l

from .accounts.models import Role
from .bounds import DATE_PATTERN

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.MANAGER: _l("Sub-department head"),
    Role.TRAINER: _l("IT teacher"),
    Role.TEACHER: _l("Teacher"),
}


class Number:
    """A number for a message's placeholder, written the way the reader's language writes it
    (``200.000`` in Vietnamese, ``200,000`` in English) when the message is rendered."""

    def __init__(self, value):
        self.value = value

    def __str__(self):
        if not has_app_context():  # no language to follow: the English way
            return f"{self.value:,}"
        return format_decimal(self.value)


def select_locale():
    """The language for this request: the user's choice, else Vietnamese."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    lang = session.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone():
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def remember_language():
    """Store ``?lang=vi|en`` for the browser session."""
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        refresh()


def register_i18n(app):
    """Hook the language choice in and give templates date and number filters."""
    app.before_request(remember_language)
    app.context_processor(template_helpers)
    app.jinja_env.globals["date_pattern"] = DATE_PATTERN
    app.jinja_env.filters["date"] = lambda value: format_date(value, "dd/MM/yyyy") if value else ""
    app.jinja_env.filters["datetime"] = lambda value: (
        format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""
    )
    app.jinja_env.filters["time"] = lambda value: format_datetime(value, "HH:mm") if value else ""
    app.jinja_env.filters["decimal1"] = lambda value: (
        format_decimal(value, format="#,##0.0") if value is not None else "–"
    )
    app.jinja_env.filters["percent"] = lambda value: (
        format_decimal(value, format="#,##0.0") + " %" if value is not None else "–"
    )
    app.jinja_env.filters["number"] = lambda value: (
        format_decimal(value) if value is not None else ""
    )


def lang_url(lang):
    """The current page's URL with ``lang`` switched, keeping its other query arguments."""
    args = {key: value for key, value in request.args.items(multi=True) if key != "lang"}
    args["lang"] = lang
    return request.path + "?" + urlencode(args)


def template_helpers():
    return {
        "current_locale": lambda: str(get_locale() or "vi"),
        "lang_url": lang_url,
        "role_label": lambda role: ROLE_LABELS.get(role, role),
    }
