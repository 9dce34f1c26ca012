"""Import of staff: ``staff_code, full_name, org_code, position, gender, birth_date, email,
phone, status`` and the optional ``moet_id, ethnicity``; upsert by staff_code, written in
batches."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from ..extensions import db
from ..models_base import utcnow
from ..org.models import OrgUnit, Staff
from ..org.services import analyze_roster, index_staff_codes, index_staff_names
from ..org.text import fold
from .base import Importer, Plan, first_seen
from .orgunits import parse_code, parse_name
from .values import (
    GENDER_ALIASES,
    POSITION_ALIASES,
    STATUS_ALIASES,
    BadValue,
    lookup,
    parse_date,
    parse_ethnicity,
    parse_moet_id,
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^[0-9+().\- ]{6,32}$")
FIELDS = ("full_name", "org_unit_id", "position", "gender", "birth_date", "email", "phone",
          "status")
# Optional columns that a file may leave out without clearing what is stored.
ATTRIBUTES = (("moet_id", parse_moet_id), ("ethnicity", parse_ethnicity))
BATCH = 2000


def parse_position(value):
    return lookup(value, POSITION_ALIASES, _l(
        "unknown position: use teacher, it_teacher, manager or staff (giáo viên, giáo viên tin "
        "học, cán bộ quản lý, nhân viên)"))


def parse_gender(value):
    return lookup(value, GENDER_ALIASES, _l("unknown gender: use male or female (Nam, Nữ)"))


def parse_status(value):
    return lookup(value, STATUS_ALIASES, _l("unknown status: use active or inactive"))


def parse_email(value):
    value = str(value).strip().lower()
    if len(value) > 255 or not EMAIL.match(value):
        raise BadValue(_l("not an email address"))
    return value


def parse_phone(value):
    value = str(value).strip()
    if not PHONE.match(value):
        raise BadValue(_l("not a phone number"))
    return value


def parse_birth_date(value):
    born = parse_date(value)
    if not 1930 <= born.year <= 2015:
        raise BadValue(_l("birth date out of range"))
    return born


class StaffImporter(Importer):
    kind = "staff"
    required = ("staff_code", "full_name", "org_code", "position")
    optional = ("gender", "birth_date", "email", "phone", "status",
                *(name for name, _parse in ATTRIBUTES))

    def plan(self, rows):
        units = dict(db.session.execute(select(OrgUnit.code, OrgUnit.id)).all())
        existing = {
            row.staff_code: row
            for row in db.session.execute(select(Staff.id, Staff.staff_code, *(
                getattr(Staff, name) for name in FIELDS + ("moet_id", "ethnicity"))))
        }
        by_moet = {row.moet_id: row for row in existing.values() if row.moet_id}
        plan, seen, seen_moet = Plan(), {}, {}
        for number, values in rows:
            errors_before = len(self.errors)
            code = self.field(number, values, "staff_code", parse_code)
            record = {
                "full_name": self.field(number, values, "full_name", parse_name),
                "org_unit_id": self.org_id(number, values, units),
                "position": self.field(number, values, "position", parse_position),
                "gender": self.field(number, values, "gender", parse_gender, required=False),
                "birth_date": self.field(number, values, "birth_date", parse_birth_date,
                                         required=False),
                "email": self.field(number, values, "email", parse_email, required=False),
                "phone": self.field(number, values, "phone", parse_phone, required=False),
                "status": self.field(number, values, "status", parse_status, required=False)
                or "active",
                **{column: self.field(number, values, column, parse, required=False)
                   for column, parse in ATTRIBUTES if self.given(column)},
            }
            if code is not None:
                first_seen(self, seen, code, number, "staff_code")
            moet_id = record.get("moet_id")
            if moet_id is not None and first_seen(self, seen_moet, moet_id, number, "moet_id"):
                owner = by_moet.get(moet_id)
                if owner is not None and owner.staff_code != code:
                    self.error(number, "moet_id", _l(
                        "this national identifier belongs to %(code)s", code=owner.staff_code))
            if len(self.errors) > errors_before:
                continue
            old = existing.get(code)
            if old is None:
                plan.create.append({"staff_code": code, **record})
            elif any(getattr(old, name) != value for name, value in record.items()):
                plan.update.append({"id": old.id, **record})
            else:
                plan.unchanged += 1
        return plan

    def org_id(self, number, values, units):
        code = self.field(number, values, "org_code")
        if code is None:
            return None
        if code not in units:
            self.error(number, "org_code", _l("unknown org code %(code)s", code=code))
            return None
        return units[code]

    def apply(self, plan):
        now = utcnow()
        for record in plan.create + plan.update:
            record["search_key"] = fold(record["full_name"])
            record["updated_at"] = now
        optional = {name: None for name, _parse in ATTRIBUTES}
        for start in range(0, len(plan.create), BATCH):
            batch = [{**optional, **r, "created_at": now}
                     for r in plan.create[start:start + BATCH]]
            db.session.execute(insert(Staff), batch)
        for start in range(0, len(plan.update), BATCH):
            db.session.execute(update(Staff), plan.update[start:start + BATCH])
        index_staff_names((r["id"], r["full_name"]) for r in plan.update)
        index_staff_codes(r["staff_code"] for r in plan.create)
        if len(plan.create) + len(plan.update) > 1000:
            analyze_roster()
        db.session.expire_all()
