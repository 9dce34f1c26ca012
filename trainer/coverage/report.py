"""A one-page PDF report of a unit's coverage that a head can send upward."""

from flask_babel import get_locale
from flask_babel import gettext as _

from ..documents import render_template_pdf


def number(value):
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def coverage_report(head, rows, *, level, as_of):
    """A4 portrait: headline, children table and bars against the target."""
    headline = _(
        "%(certified)s of %(total)s active staff hold %(level)s: %(percent)s %%",
        certified=head.certified,
        total=head.staff_total,
        level=level.name(get_locale()),
        percent=number(head.percent),
    )
    target = (
        _(
            "Target %(target)s %%, gap %(gap)s points.",
            target=number(head.target_percent),
            gap=number(head.gap),
        )
        if head.target_percent is not None
        else _("No target set.")
    )
    return render_template_pdf(
        "coverage_report.html",
        title=_("Coverage report: %(unit)s", unit=head.name),
        headline=headline,
        target=target,
        rows=rows,
        as_of=as_of,
        number=number,
    )
