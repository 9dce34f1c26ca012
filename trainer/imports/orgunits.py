"""Import of org units: ``code, name, kind, parent_code`` and the optional ``valid_from,
valid_to, successor_code, effective_from, moet_id, school_level, disadvantaged`` (SPEC §9);
upsert by code, history kept.

A code may appear on several rows with different ``effective_from`` dates (its name and parent
from each date). The whole resulting history is checked before anything is written.
"""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from ..extensions import db
from ..org import timeline
from ..org.history import load_lives, managed_history, rebuild_unit_paths, write_unit_history
from ..org.models import OrgUnit
from ..org.services import rebuild_paths
from ..timeutil import local_today
from .base import Importer, Plan
from .values import (
    KIND_ALIASES,
    BadValue,
    lookup,
    parse_date,
    parse_moet_id,
    parse_school_level,
    parse_text,
    parse_yes_no,
)

#: Attributes of the unit itself (not dated): a column left out of the file keeps them.
ATTRIBUTES = (
    ("moet_id", parse_moet_id),
    ("school_level", parse_school_level),
    ("disadvantaged", parse_yes_no),
)

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
LIFE_COLUMNS = ("valid_from", "valid_to", "successor_code")


def parse_code(value):
    value = str(value).strip()
    if not CODE_PATTERN.match(value):
        raise BadValue(_l("a code uses letters without accents, digits, - _ . (at most 64)"))
    return value


def parse_name(value):
    return parse_text(value, 255)


def parse_kind(value):
    return lookup(
        value,
        KIND_ALIASES,
        _l("unknown kind: use province, district, commune, school, department or other"),
    )


class OrgUnitImporter(Importer):
    kind = "orgunits"
    required = ("code", "name", "kind", "parent_code")
    optional = (*LIFE_COLUMNS, "effective_from", *(name for name, _parse in ATTRIBUTES))

    def check_header(self, header):
        super().check_header(header)
        self.header = set(header)

    def read(self, rows):
        """[(row number, record)] of the rows whose cells parse; errors recorded."""
        records, seen = [], {}
        for number, values in rows:
            before = len(self.errors)
            record = {
                "code": self.field(number, values, "code", parse_code),
                "name": self.field(number, values, "name", parse_name),
                "kind": self.field(number, values, "kind", parse_kind),
                "parent": self.field(number, values, "parent_code", parse_code, required=False),
                "valid_from": self.field(number, values, "valid_from", parse_date, required=False),
                "valid_to": self.field(number, values, "valid_to", parse_date, required=False),
                "successor_code": self.field(
                    number, values, "successor_code", parse_code, required=False
                ),
                "effective_from": self.field(
                    number, values, "effective_from", parse_date, required=False
                ),
                "attributes": {
                    column: self.field(number, values, column, parse, required=False)
                    for column, parse in ATTRIBUTES
                    if self.given(column)
                },
            }
            key = (record["code"], record["effective_from"])
            if record["code"] is not None and key in seen and key[1] is None:
                self.error(
                    number,
                    "code",
                    _l("duplicate in this file (first at row %(row)d)", row=seen[key]),
                )
            elif record["code"] is not None and key in seen:
                self.error(
                    number,
                    "effective_from",
                    _l(
                        "overlapping periods: row %(row)d gives this code from the same date",
                        row=seen[key],
                    ),
                )
            elif record["code"] is not None:
                seen[key] = number
            if len(self.errors) == before:
                records.append((number, record))
        return records

    def plan(self, rows):
        header = getattr(self, "header", set())
        records = self.read(rows)
        lives, ids = load_lives()
        kinds = dict(db.session.execute(select(OrgUnit.code, OrgUnit.kind)).all())
        old_kinds = dict(kinds)
        before = {
            code: (life.valid_from, life.valid_to, life.successor, [list(p) for p in life.periods])
            for code, life in lives.items()
        }
        row_of, new_codes, today = {}, set(), local_today()
        dated = {record["code"] for _n, record in records if record["effective_from"]}
        records.sort(key=lambda item: (item[1]["code"], item[1]["effective_from"] or date.min))
        for number, record in records:
            code = record["code"]
            if code not in lives:
                lives[code] = timeline.UnitLife(code)
                new_codes.add(code)
            life = lives[code]
            first_row = code not in row_of
            row_of.setdefault(code, number)
            for column in LIFE_COLUMNS:
                if column in header:
                    self.set_life(life, column, record[column], number, first_row)
            self.add_period(life, record, number, code in new_codes or code in dated, today)
            kinds[code] = record["kind"]
        for code in row_of:
            life = lives[code]
            life.periods, dropped = timeline.clip(life.periods, life.valid_from, life.valid_to)
            if dropped or not life.periods:
                self.error(
                    row_of[code],
                    "effective_from",
                    _l("overlapping periods: a period lies outside valid_from–valid_to"),
                )
        report_problems(self, lives, row_of)
        plan = Plan()
        plan.lives, plan.ids, plan.kinds, plan.touched = lives, ids, kinds, []
        attributes = self.plan_attributes(records)
        for code in row_of:
            life = lives[code]
            if code in new_codes:
                plan.create.append(code)
            elif (life.valid_from, life.valid_to, life.successor, life.periods, kinds[code]) != (
                *before[code],
                old_kinds[code],
            ) or code in attributes:
                plan.update.append(code)
            else:
                plan.unchanged += 1
        plan.touched = plan.create + plan.update
        plan.attributes = attributes
        return plan

    def plan_attributes(self, records):
        """{code: attributes that change}; a national identifier used twice is an error."""
        stored = {
            row.code: row
            for row in db.session.execute(
                select(OrgUnit.code, OrgUnit.moet_id, OrgUnit.school_level, OrgUnit.disadvantaged)
            )
        }
        owner = {row.moet_id: row.code for row in stored.values() if row.moet_id}
        seen_moet, changes = {}, {}
        for number, record in records:
            code, values = record["code"], record["attributes"]
            moet_id = values.get("moet_id")
            if moet_id is not None:
                first = seen_moet.setdefault(moet_id, (number, code))
                if first[1] != code:
                    self.error(
                        number,
                        "moet_id",
                        _l("duplicate in this file (first at row %(row)d)", row=first[0]),
                    )
                elif owner.get(moet_id, code) != code:
                    self.error(
                        number,
                        "moet_id",
                        _l("this national identifier belongs to %(code)s", code=owner[moet_id]),
                    )
            old = stored.get(code)
            changed = {
                column: value
                for column, value in values.items()
                if old is None or getattr(old, column) != value
            }
            if changed:
                changes.setdefault(code, {}).update(changed)
        return changes

    def set_life(self, life, column, value, number, first_row):
        attribute = "successor" if column == "successor_code" else column
        if not first_row and getattr(life, attribute) != value:
            self.error(number, column, _l("differs from the earlier row of this code"))
        setattr(life, attribute, value)

    def add_period(self, life, record, number, from_start, today):
        """From the row's start, the unit's parent and name are the row's. Without a date the
        row holds from the start of the unit's life when the unit is new or has dated rows
        in the file too, and from today for a change of an existing unit."""
        values = (record["parent"], record["name"])
        start = record["effective_from"]
        if start is None and not from_start:
            if life.periods and life.periods[-1][2] == values:
                return
            start = today
        if start is not None and not life.in_force(start):
            self.error(
                number,
                "effective_from",
                _l(
                    "overlapping periods: %(day)s is outside the unit's time in force",
                    day=start.strftime("%d/%m/%Y"),
                ),
            )
            return
        life.periods = timeline.insert_period(life.periods, start, values)

    def apply(self, plan):
        with managed_history():
            if plan.create:
                db.session.execute(
                    insert(OrgUnit),
                    [
                        {
                            "code": code,
                            "name": plan.lives[code].periods[-1][2][1],
                            "kind": plan.kinds[code],
                        }
                        for code in plan.create
                    ],
                )
            ids = dict(db.session.execute(select(OrgUnit.code, OrgUnit.id)).all())
            write_unit_history(plan.lives, ids, plan.touched)
            kinds = [{"id": ids[code], "kind": plan.kinds[code]} for code in plan.touched]
            if kinds:
                db.session.execute(update(OrgUnit), kinds)
            by_columns = {}  # one executemany per set of columns: others keep their values
            for code, values in plan.attributes.items():
                by_columns.setdefault(tuple(sorted(values)), []).append({"id": ids[code], **values})
            for batch in by_columns.values():
                db.session.execute(update(OrgUnit), batch)
            rebuild_paths()
            rebuild_unit_paths()
        db.session.expire_all()


PROBLEMS = {
    "ends_before_start": lambda **v: _l("valid_to is before valid_from"),
    "unknown_parent": lambda **v: _l("unknown parent code %(code)s", **v),
    "open_under_closed": lambda **v: _l(
        "still under %(code)s after its last day %(day)s: close this unit or move it first", **v
    ),
    "parent_not_yet": lambda **v: _l("under %(code)s before it is in force (from %(day)s)", **v),
    "successor_of_open": lambda **v: _l("a successor needs a last day (valid_to)"),
    "unknown_successor": lambda **v: _l("unknown successor code %(code)s", **v),
    "successor_not_in_force": lambda **v: _l(
        "the successor %(code)s is not in force on %(day)s", **v
    ),
    "cycle": lambda **v: _l("the parents form a cycle on %(day)s: %(loop)s", **v),
}


def problem_message(kind, details):
    """The translated reason of a history problem found by ``timeline.problems``."""
    values = {k: v.strftime("%d/%m/%Y") if isinstance(v, date) else v for k, v in details.items()}
    if values.get("day") == "01/01/0001":
        values["day"] = "—"
    return PROBLEMS[kind](**values)


def report_problems(importer, lives, row_of):
    """Record every problem of the resulting history that involves a unit of the file (at the
    row of that unit, else of the unit it names)."""
    for code, column, kind, details in timeline.problems(lives):
        involved = [code, details.get("code"), *details.get("loop", "").split(" → ")]
        rows = [row_of[c] for c in involved if c in row_of]
        if rows:
            importer.error(rows[0], column, problem_message(kind, details))
