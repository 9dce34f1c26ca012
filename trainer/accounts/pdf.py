"""Printable sheets of one-time passwords, one PDF per school."""

from itertools import groupby

from flask_babel import gettext as _

from ..documents import render_template_pdf


def password_sheet(unit_name, rows, sign_in_url):
    """A PDF listing name, staff code and one-time password of each person of one school."""
    return render_template_pdf(
        "password_sheet.html",
        title=_("Sign-in accounts"),
        unit_name=unit_name,
        rows=rows,
        sign_in_url=sign_in_url,
    )


def sheets_by_unit(created, sign_in_url):
    """``[(unit, pdf_bytes)]``: one password sheet per unit of the created accounts."""
    ordered = sorted(created, key=lambda item: (item[0].org_unit.path, item[0].search_key))
    return [
        (unit, password_sheet(unit.name, list(rows), sign_in_url))
        for unit, rows in groupby(ordered, key=lambda item: item[0].org_unit)
    ]
