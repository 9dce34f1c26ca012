"""Printable sheets of one-time passwords, one PDF per school."""

import io
import zipfile
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


def sheets_by_unit(created, sign_in_url, progress=None):
    """``[(unit, pdf_bytes)]``: one password sheet per unit of the created accounts;
    ``progress(n)`` hears of the ``n`` accounts of each sheet once it is printed."""
    ordered = sorted(created, key=lambda item: (item[0].org_unit.path, item[0].sort_key))
    sheets = []
    for unit, rows in groupby(ordered, key=lambda item: item[0].org_unit):
        rows = list(rows)
        sheets.append((unit, password_sheet(unit.name, rows, sign_in_url)))
        if progress:
            progress(len(rows))
    return sheets


def sheets_zip(sheets):
    """The sheets as one ZIP, a PDF per school named by its code."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for unit, pdf in sheets:
            archive.writestr(f"{unit.code}.pdf", pdf)
    return buffer.getvalue()
