"""Import of org units: ``code, name, kind, parent_code``; upsert by code."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..extensions import db
from ..org.models import OrgUnit
from ..org.services import rebuild_paths
from .base import Importer, Plan, first_seen
from .values import KIND_ALIASES, BadValue, lookup, parse_text

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


def parse_code(value):
    value = str(value).strip()
    if not CODE_PATTERN.match(value):
        raise BadValue(_l("a code uses letters without accents, digits, - _ . (at most 64)"))
    return value


def parse_name(value):
    return parse_text(value, 255)


def parse_kind(value):
    return lookup(value, KIND_ALIASES, _l("unknown kind: use province, district, commune, "
                                          "school, department or other"))


class OrgUnitImporter(Importer):
    kind = "orgunits"
    required = ("code", "name", "kind", "parent_code")

    def plan(self, rows):
        existing = {
            row.code: row
            for row in db.session.execute(
                select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.kind, OrgUnit.parent_id)
            )
        }
        code_of = {row.id: row.code for row in existing.values()}
        parents = {row.code: code_of.get(row.parent_id) for row in existing.values()}
        seen, records = {}, []
        for number, values in rows:
            code = self.field(number, values, "code", parse_code)
            name = self.field(number, values, "name", parse_name)
            kind = self.field(number, values, "kind", parse_kind)
            parent = self.field(number, values, "parent_code", parse_code, required=False)
            if code is None or not first_seen(self, seen, code, number, "code"):
                continue
            records.append((number, code, name, kind, parent))
        file_codes = {record[1] for record in records}
        for number, code, _name, _kind, parent in records:
            if parent is not None and parent not in existing and parent not in file_codes:
                self.error(number, "parent_code", _l("unknown parent code %(code)s", code=parent))
            parents[code] = parent
        self.check_cycles(records, parents)
        plan = Plan()
        for _number, code, name, kind, parent in records:
            if name is None or kind is None:
                continue
            values = {"code": code, "name": name, "kind": kind, "parent_code": parent}
            old = existing.get(code)
            if old is None:
                plan.create.append(values)
            elif (old.name, old.kind, code_of.get(old.parent_id)) != (name, kind, parent):
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
             "parent_id": ids.get(v["parent_code"])}
            for v in plan.create + plan.update
        ]
        if rows:
            db.session.execute(update(OrgUnit), rows)
        rebuild_paths()
        db.session.expire_all()
