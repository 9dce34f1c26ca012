"""The printable sign-in sheet of a session, for schools without a connection."""

from flask_babel import format_datetime
from flask_babel import gettext as _

from ..documents import render_template_pdf


def sign_in_sheet(session, enrollments, locale="vi"):
    """A4 portrait: session details, then numbered rows with a signature column."""
    start = format_datetime(session.starts_at, "dd/MM/yyyy HH:mm")  # Vietnam's time (Babel)
    when = f"{start} – {format_datetime(session.ends_at, 'HH:mm')}"
    details = [
        (_("Module"), f"{session.module.code} · {session.module.name(locale)}"),
        (_("Time"), when),
        (
            _("Venue"),
            f"{session.org_unit.name}" + (f" · {session.location}" if session.location else ""),
        ),
        (_("Trainer"), session.trainer.full_name),
    ]
    return render_template_pdf(
        "sign_in_sheet.html",
        title=_("Sign-in sheet"),
        session=session,
        details=details,
        enrollments=enrollments,
    )
