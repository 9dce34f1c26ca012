"""The all-or-nothing import: read, check every row, then write everything or nothing."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from .. import audit
from ..org.attributes import fold_label
from .columns import HeaderResolver
from .reader import FileProblem, read_table
from .values import BadValue


@dataclass
class RowError:
    """One problem: the spreadsheet row (header = 1), the column and the reason."""

    row: int
    column: str
    reason: object  # a lazy translated string

    def as_dict(self):
        return {"row": self.row, "column": self.column, "reason": str(self.reason)}


@dataclass
class Plan:
    """What an import would do: rows to create and to update, and how many are unchanged."""

    create: list = field(default_factory=list)
    update: list = field(default_factory=list)
    unchanged: int = 0


@dataclass
class ImportReport:
    """The outcome shown to the user: errors (nothing written) or the counts."""

    kind: str
    rows: int = 0
    errors: list = field(default_factory=list)
    problem: object = None  # a whole-file problem (not UTF-8, not a table …)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    plan: object = None  # what the importer planned (a reorganisation's preview)

    @property
    def ok(self):
        return self.problem is None and not self.errors


class Importer:
    """One kind of file: its columns, its row checks and how it writes."""

    kind = ""
    required = ()  # columns that must be in the header
    optional = ()

    def __init__(self):
        self.errors = []
        self.mapping = {}  # a saved mapping: header label → field ("" = ignore)
        self.columns = set()  # the columns the file has (set by ``check_header``)

    def error(self, row, column, reason):
        self.errors.append(RowError(row, column, reason))

    def field(self, row, values, column, parse=None, required=True):
        """The parsed value of ``column``; records the error and returns None when bad."""
        raw = values.get(column, "")
        if raw in ("", None):
            if required:
                self.error(row, column, _l("required value missing"))
            return None
        if parse is None:  # plain text: a date or number cell is read as its text
            return raw.strip() if isinstance(raw, str) else str(raw)
        try:
            return parse(raw)
        except BadValue as exc:
            self.error(row, column, exc.reason)
            return None

    def given(self, column):
        """True when the file has ``column``: an optional column the file leaves out keeps
        what is stored, while an empty cell in a column the file has clears it."""
        return column in self.columns

    def check_header(self, header):
        self.columns = {name for name in header if name}
        for column in self.missing_columns(header):
            self.error(1, column, _l("column missing from the header row"))

    @property
    def fields(self):
        """Every column this kind of file may have."""
        return self.required + tuple(self.optional)

    def resolver(self, mapping=None):
        """The ``HeaderResolver`` of this kind, with ``mapping`` (header label → field)."""
        return HeaderResolver(self.kind, self.fields, mapping)

    def missing_columns(self, header):
        """The required columns that ``header`` lacks."""
        return [column for column in self.required if column not in header]

    def plan(self, rows):
        """Check every row and return a ``Plan``; record errors with ``self.error``."""
        raise NotImplementedError

    def apply(self, plan):
        """Write the plan (flush only; the caller commits)."""
        raise NotImplementedError


def run_import(importer, filename, data, *, actor=None, dry_run=False, mapping=None, progress=None):
    """Check the whole file; write it only if every row is good and ``dry_run`` is false.
    ``mapping`` (header label → field, "" to ignore) names columns the importer does not know;
    other unknown columns are ignored. ``progress`` (a job's ``Progress``) hears of every row
    checked, then of the write."""
    report = ImportReport(kind=importer.kind)
    try:
        table = read_table(filename, data, importer.resolver(mapping))
    except FileProblem as exc:
        report.problem = exc.message
        return report
    report.rows = len(table.rows)
    importer.check_header(table.header)
    if importer.errors:
        report.errors = [with_label(e, table, header=True) for e in importer.errors]
        return report
    rows = table.rows
    if progress is not None:
        progress.set_total(len(rows), stage="checking")
        rows = counted(rows, progress)
    plan = importer.plan(rows)
    report.errors = sorted(
        (with_label(e, table) for e in importer.errors), key=lambda e: (e.row, e.column)
    )
    if report.errors:
        return report
    report.created, report.updated, report.unchanged = (
        len(plan.create),
        len(plan.update),
        plan.unchanged,
    )
    report.plan = plan
    if not dry_run:
        if progress is not None:
            progress.done = 0
            progress.set_total(report.rows, stage="writing")
        importer.filename, importer.actor = filename, actor
        importer.apply(plan)
        if progress is not None:
            progress(report.rows)
        report.written = True
        audit.record(
            f"import.{importer.kind}",
            user=actor,
            object_type="import",
            object_id=filename,
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    return report


def counted(rows, progress):
    """``rows``, telling ``progress`` of each one as the importer takes it."""
    for row in rows:
        yield row
        progress(1)


def with_label(error, table, header=False):
    """The error named by the file's own header ("Ngày sinh") when it differs from the field
    name, and on the file's header row."""
    label = table.labels.get(error.column)
    if label and fold_label(label) != fold_label(error.column):
        error.column = f"{label} ({error.column})"
    if header:
        error.row = table.header_row
    return error


def first_seen(importer, seen, key, row, column):
    """Record a duplicate-in-file error when ``key`` was already seen; True if new."""
    if key in seen:
        importer.error(
            row, column, _l("duplicate in this file (first at row %(row)d)", row=seen[key])
        )
        return False
    seen[key] = row
    return True
