"""The import report as plain text for the terminal."""

from flask_babel import gettext as _

from .base import ImportReport, RowError


def report_as_dict(report):
    """The report as JSON (a job's outcome): every bad row, translated now, and the counts."""
    return {
        "kind": report.kind,
        "ok": report.ok,
        "rows": report.rows,
        "problem": None if report.problem is None else str(report.problem),
        "errors": [error.as_dict() for error in report.errors],
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "written": report.written,
    }


def report_from_dict(data):
    """The ``ImportReport`` a job's outcome describes (for the terminal's ``format_report``)."""
    fields = {k: v for k, v in data.items() if k not in ("ok", "errors")}
    return ImportReport(errors=[RowError(**e) for e in data.get("errors", [])], **fields)


def format_report(report):
    """Every bad row on its own line, or the counts of what was (or would be) written."""
    if report.problem is not None:
        return _("Nothing was imported: %(problem)s", problem=report.problem)
    if report.errors:
        lines = [
            _(
                "Nothing was imported: %(n)d problem(s) in %(rows)d row(s).",
                n=len(report.errors),
                rows=report.rows,
            )
        ]
        for error in report.errors:
            lines.append(
                _(
                    "row %(row)d, column %(column)s: %(reason)s",
                    row=error.row,
                    column=error.column,
                    reason=error.reason,
                )
            )
        return "\n".join(lines)
    summary = _(
        "%(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
    )
    if report.written:
        return _("Imported %(rows)d row(s): ", rows=report.rows) + summary
    return _("Checked %(rows)d row(s), nothing written yet: ", rows=report.rows) + summary
