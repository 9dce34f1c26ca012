"""Import of org units: ``code, name, kind, parent_code`` and the optional ``moet_id,
school_level, disadvantaged``; upsert by code."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..extensions import db
from ..org.models import OrgUnit
from ..org.services import rebuild_paths
from ..org.text import clean_name
from .base import Importer, Plan, first_seen
from .values import (
    KIND_ALIASES,
    BadValue,
    lookup,
    parse_moet_id,
    parse_school_level,
    parse_yes_no,
)

ATTRIBUTES = (("moet_id", parse_moet_id), ("school_level", parse_school_level),
              ("disadvantaged", parse_yes_no))

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


def parse_code(value):
    value = str(value).strip()
    if not CODE_PATTERN.match(value):
        raise BadValue(_l("a code uses letters without accents, digits, - _ . (at most 64)"))
    return value


def parse_name(value):
    name = clean_name(value)
    if len(name) > 255:
        raise BadValue(_l("too long (at most %(n)d characters)", n=255))
    return name


def parse_kind(value):
    return lookup(value, KIND_ALIASES, _l("unknown kind: use province, district, commune, "
                                          "school, department or other"))


class OrgUnitImporter(Importer):
    kind = "orgunits"
    required = ("code", "name", "kind", "parent_code")
    optional = tuple(name for name, _parse in ATTRIBUTES)

    def plan(self, rows):
        existing = {
            row.code: row
            for row in db.session.execute(
                select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.kind, OrgUnit.parent_id,
                       OrgUnit.moet_id, OrgUnit.school_level, OrgUnit.disadvantaged)
            )
        }
        moet_owner = {row.moet_id: row.code for row in existing.values() if row.moet_id}
        seen_moet = {}
        code_of = {row.id: row.code for row in existing.values()}
        parents = {row.code: code_of.get(row.parent_id) for row in existing.values()}
        seen, records = {}, []
        for number, values in rows:
            code = self.field(number, values, "code", parse_code)
            name = self.field(number, values, "name", parse_name)
            kind = self.field(number, values, "kind", parse_kind)
            parent = self.field(number, values, "parent_code", parse_code, required=False)
            extra = {column: self.field(number, values, column, parse, required=False)
                     for column, parse in ATTRIBUTES if self.given(column)}
            if code is None or not first_seen(self, seen, code, number, "code"):
                continue
            moet_id = extra.get("moet_id")
            if moet_id is not None and first_seen(self, seen_moet, moet_id, number, "moet_id") \
                    and moet_owner.get(moet_id, code) != code:
                self.error(number, "moet_id", _l("this national identifier belongs to %(code)s",
                                                 code=moet_owner[moet_id]))
            records.append((number, code, name, kind, parent, extra))
        file_codes = {record[1] for record in records}
        for number, code, _name, _kind, parent, _extra in records:
            if parent is not None and parent not in existing and parent not in file_codes:
                self.error(number, "parent_code", _l("unknown parent code %(code)s", code=parent))
            parents[code] = parent
        self.check_cycles(records, parents)
        plan = Plan()
        for _number, code, name, kind, parent, extra in records:
            if name is None or kind is None:
                continue
            values = {"code": code, "name": name, "kind": kind, "parent_code": parent, **extra}
            old = existing.get(code)
            if old is None:
                plan.create.append(values)
            elif (old.name, old.kind, code_of.get(old.parent_id)) != (name, kind, parent) or any(
                    getattr(old, column) != value for column, value in extra.items()):
                plan.update.append({**values, "id": old.id})
            else:
                plan.unchanged += 1
        return plan

    def check_cycles(self, records, parents):
        for number, code, *_rest in records:
            chain, current = [code], parents.get(code)
            while current is not None:
                if current in chain:
                    loop = " → ".join(chain[chain.index(current):] + [current])
                    self.error(number, "parent_code", _l("the parents form a cycle: %(loop)s",
                                                         loop=loop))
                    break
                chain.append(current)
                current = parents.get(current)

    def apply(self, plan):
        new_units = [OrgUnit(code=v["code"], name=v["name"], kind=v["kind"]) for v in plan.create]
        db.session.add_all(new_units)
        db.session.flush()
        ids = dict(db.session.execute(select(OrgUnit.code, OrgUnit.id)).all())
        rows = [
            {"id": ids[v["code"]], "name": v["name"], "kind": v["kind"],
             "parent_id": ids.get(v["parent_code"]),
             **{column: v[column] for column in self.optional if column in v}}
            for v in plan.create + plan.update
        ]
        # one executemany per set of columns: rows without the optional columns keep them
        by_columns = {}
        for row in rows:
            by_columns.setdefault(tuple(sorted(row)), []).append(row)
        for batch in by_columns.values():
            db.session.execute(update(OrgUnit), batch)
        rebuild_paths()
        db.session.expire_all()
