"""Import of staff: ``staff_code, full_name, org_code, position, gender, birth_date, email,
phone, status`` and the optional ``effective_from`` (SPEC §9); upsert by staff_code, written
in batches. A change of unit, position or status is a new period from ``effective_from``
(default: today; a new person without it counts on every earlier date); earlier ones stay."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from ..clock import local_today
from ..extensions import db
from ..models_base import utcnow
from ..org import timeline
from ..org.history import managed_history, staff_periods_of, write_staff_history
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
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^[0-9+().\- ]{6,32}$")
FIELDS = ("full_name", "org_unit_id", "position", "gender", "birth_date", "email", "phone",
          "status")
FACTS = ("org_unit_id", "position", "status")  # kept with the dates they applied
PLAIN = tuple(name for name in FIELDS if name not in FACTS)
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
    optional = ("gender", "birth_date", "email", "phone", "status", "effective_from")

    def plan(self, rows):
        units = dict(db.session.execute(select(OrgUnit.code, OrgUnit.id)).all())
        self.lives = {row.id: row for row in db.session.execute(
            select(OrgUnit.id, OrgUnit.code, OrgUnit.valid_from, OrgUnit.valid_to))}
        existing = {
            row.staff_code: row
            for row in db.session.execute(select(Staff.id, Staff.staff_code, *(
                getattr(Staff, name) for name in FIELDS)))
        }
        self.existing = {row.id: row for row in existing.values()}
        plan, seen = Plan(), {}
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
            }
            start = self.field(number, values, "effective_from", parse_date, required=False)
            if code is not None:
                first_seen(self, seen, code, number, "staff_code")
            if len(self.errors) > errors_before:
                continue
            old = existing.get(code)
            record["start"] = start if old is not None or start else None
            if old is not None and record["start"] is None:
                record["start"] = local_today()
            record["row"] = number
            if old is None:
                plan.create.append({"staff_code": code, **record})
            elif any(getattr(old, name) != record[name] for name in FIELDS) or start:
                plan.update.append({"id": old.id, **record})
            else:
                plan.unchanged += 1
        self.add_periods(plan)
        return plan

    def check_unit_in_force(self, record):
        number = record["row"]
        unit = self.lives[record["org_unit_id"]]
        start, last = record["start"], unit.valid_to
        if (last is not None and (start is None or start > last)) or \
                (unit.valid_from is not None and start is not None and start < unit.valid_from):
            self.error(number, "org_code", _l("the unit %(code)s is not in force on %(day)s",
                                              code=unit.code, day=(start or last).strftime(
                                                  "%d/%m/%Y")))

    def add_periods(self, plan):
        """Each record's periods after the import; updates that change nothing are dropped."""
        histories = staff_periods_of([r["id"] for r in plan.update])
        kept = []
        for record in plan.update:
            facts = tuple(record[name] for name in FACTS)
            before = histories[record["id"]]
            after = timeline.insert_period(before, record["start"], facts)
            if after == before and not any(
                    getattr(self.existing[record["id"]], n) != record[n] for n in PLAIN):
                plan.unchanged += 1
                continue
            record["periods"] = after
            if after != before:
                self.check_unit_in_force(record)
            record.update(zip(FACTS, after[-1][2], strict=True))  # the current state is the latest
            kept.append(record)
        plan.update = kept
        for record in plan.create:
            self.check_unit_in_force(record)
            record["periods"] = [[record["start"], None,
                                  tuple(record[name] for name in FACTS)]]

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
        histories = {}
        for record in plan.create + plan.update:
            record["search_key"] = fold(record["full_name"])
            record["updated_at"] = now
            key = record["id"] if "id" in record else record["staff_code"]
            histories[key] = record.pop("periods")
            record.pop("start")
            record.pop("row")
        for start in range(0, len(plan.create), BATCH):
            batch = [{**r, "created_at": now} for r in plan.create[start:start + BATCH]]
            db.session.execute(insert(Staff), batch)
        # the unit, position and status go through the history (users follow their unit)
        plain = [{k: v for k, v in r.items() if k not in FACTS} for r in plan.update]
        for start in range(0, len(plain), BATCH):
            db.session.execute(update(Staff), plain[start:start + BATCH])
        codes = [r["staff_code"] for r in plan.create]
        for start in range(0, len(codes), 5000):
            for sid, code in db.session.execute(select(Staff.id, Staff.staff_code).where(
                    Staff.staff_code.in_(codes[start:start + 5000]))):
                histories[sid] = histories.pop(code)
        with managed_history():
            write_staff_history(histories)
        index_staff_names((r["id"], r["full_name"]) for r in plan.update)
        index_staff_codes(r["staff_code"] for r in plan.create)
        if len(plan.create) + len(plan.update) > 1000:
            analyze_roster()
        db.session.expire_all()
