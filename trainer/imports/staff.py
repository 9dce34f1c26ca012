"""Import of staff: ``staff_code, full_name, org_code, position, gender, birth_date, email,
phone, status`` and the optional ``moet_id, ethnicity, effective_from`` (SPEC §9); upsert by
staff_code, written in batches. A change of unit, position or status is a new period from
``effective_from`` (default: today; a new person without it counts on every earlier date);
earlier ones stay."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from ..extensions import db
from ..models_base import utcnow
from ..org import timeline
from ..org.attributes import fold_label
from ..org.history import (
    STAFF_COPIES,
    copy_staff_attributes,
    managed_history,
    staff_periods_of,
    write_staff_history,
)
from ..org.models import OrgUnit, Staff
from ..org.services import analyze_roster, index_staff_codes, index_staff_names
from ..org.text import fold, name_sort_key
from ..timeutil import local_today
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
FIELDS = (
    "full_name",
    "org_unit_id",
    "position",
    "gender",
    "birth_date",
    "email",
    "phone",
    "status",
)
# Optional columns that a file may leave out without clearing what is stored.
ATTRIBUTES = (("moet_id", parse_moet_id), ("ethnicity", parse_ethnicity))
FACTS = ("org_unit_id", "position", "status")  # kept with the dates they applied
INTERNAL = ("start", "row")  # planning notes, not columns
BATCH = 2000


# Job titles of the sector's rosters ("Giáo viên tiểu học hạng III", "Phó hiệu trưởng" …) by
# their first words, checked in this order.
POSITION_PREFIXES = (
    ("giao vien tin", "it_teacher"),
    ("gv tin", "it_teacher"),
    ("giao vien", "teacher"),
    ("gv ", "teacher"),
    ("to truong", "teacher"),
    ("hieu truong", "manager"),
    ("pho hieu truong", "manager"),
    ("giam doc", "manager"),
    ("pho giam doc", "manager"),
    ("truong phong", "manager"),
    ("pho truong phong", "manager"),
    ("chuyen vien", "staff"),
    ("nhan vien", "staff"),
    ("ke toan", "staff"),
    ("van thu", "staff"),
    ("thu quy", "staff"),
    ("y te", "staff"),
    ("bao ve", "staff"),
    ("thu vien", "staff"),
    ("thiet bi", "staff"),
    ("cap duong", "staff"),
    ("phuc vu", "staff"),
)


def parse_position(value):
    key = fold_label(value)
    for prefix, position in POSITION_PREFIXES:
        if key.startswith(prefix) and key not in POSITION_ALIASES:
            return position
    return lookup(
        value,
        POSITION_ALIASES,
        _l(
            "unknown position: use teacher, it_teacher, manager or staff (giáo viên, giáo viên tin "
            "học, cán bộ quản lý, nhân viên)"
        ),
    )


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


class UnitFinder:
    """The unit a roster names: by our code, else by its national identifier (a "Mã trường"
    from the sector's database), else by its exact name when only one unit has it."""

    def __init__(self):
        rows = db.session.execute(
            select(OrgUnit.id, OrgUnit.code, OrgUnit.moet_id, OrgUnit.name)
        ).all()
        self.by_code = {row.code: row.id for row in rows}
        self.by_moet = {row.moet_id: row.id for row in rows if row.moet_id}
        self.by_name = {}
        for row in rows:
            self.by_name.setdefault(fold(row.name), []).append(row.id)

    def find(self, value):
        value = str(value).strip()
        if value in self.by_code:
            return self.by_code[value]
        if value in self.by_moet:
            return self.by_moet[value]
        named = self.by_name.get(fold(value), [])
        if len(named) == 1:
            return named[0]
        if named:
            raise BadValue(
                _l("%(n)d units are named %(name)s: use the unit code", n=len(named), name=value)
            )
        raise BadValue(_l("unknown org code %(code)s", code=value))


class StaffImporter(Importer):
    kind = "staff"
    required = ("staff_code", "full_name", "org_code", "position")
    optional = (
        "gender",
        "birth_date",
        "email",
        "phone",
        "status",
        *(name for name, _parse in ATTRIBUTES),
        "effective_from",
    )

    def missing_columns(self, header):
        """A roster from the sector's database may have national identifiers and no staff
        codes: one of the two columns is enough."""
        missing = super().missing_columns(header)
        if "staff_code" in missing and "moet_id" in header:
            missing.remove("staff_code")
        return missing

    def plan(self, rows):
        self.units = UnitFinder()
        self.lives = {
            row.id: row
            for row in db.session.execute(
                select(OrgUnit.id, OrgUnit.code, OrgUnit.valid_from, OrgUnit.valid_to)
            )
        }
        existing = {
            row.staff_code: row
            for row in db.session.execute(
                select(
                    Staff.id,
                    Staff.staff_code,
                    *(getattr(Staff, name) for name in FIELDS + ("moet_id", "ethnicity")),
                )
            )
        }
        by_moet = {row.moet_id: row for row in existing.values() if row.moet_id}
        self.existing = {row.id: row for row in existing.values()}
        plan, seen, seen_moet = Plan(), {}, {}
        for number, values in rows:
            errors_before = len(self.errors)
            code = self.field(
                number, values, "staff_code", parse_code, required=not self.given("moet_id")
            )
            record = self.record(number, values)
            start = self.field(number, values, "effective_from", parse_date, required=False)
            moet_id = record.get("moet_id")
            if moet_id is not None and not first_seen(self, seen_moet, moet_id, number, "moet_id"):
                continue
            matching = len(self.errors)
            old = self.match(number, code, moet_id, existing, by_moet)
            if len(self.errors) > matching:
                continue
            if old is not None:
                code = old.staff_code
            elif code is None and moet_id is not None:
                code = moet_id  # a new person known by national identifier only
                if code in existing:
                    self.error(
                        number,
                        "moet_id",
                        _l(
                            "the staff code %(code)s made from this national identifier is taken",
                            code=code,
                        ),
                    )
            elif code is None and self.given("moet_id"):
                self.error(number, "staff_code", _l("give a staff code or a national identifier"))
            if code is not None:
                first_seen(self, seen, code, number, "staff_code")
            if len(self.errors) > errors_before:
                continue
            changed = old is not None and any(
                getattr(old, name) != value for name, value in record.items()
            )
            record["start"] = start if old is not None or start else None
            if old is not None and record["start"] is None:
                record["start"] = local_today()
            record["row"] = number
            if old is None:
                plan.create.append({"staff_code": code, **record})
            elif changed or start:
                plan.update.append({"id": old.id, **record})
            else:
                plan.unchanged += 1
        self.add_periods(plan)
        return plan

    def check_unit_in_force(self, record):
        number = record["row"]
        unit = self.lives[record["org_unit_id"]]
        start, last = record["start"], unit.valid_to
        if (last is not None and (start is None or start > last)) or (
            unit.valid_from is not None and start is not None and start < unit.valid_from
        ):
            self.error(
                number,
                "org_code",
                _l(
                    "the unit %(code)s is not in force on %(day)s",
                    code=unit.code,
                    day=(start or last).strftime("%d/%m/%Y"),
                ),
            )

    def add_periods(self, plan):
        """Each record's periods after the import; updates that change nothing are dropped."""
        histories = staff_periods_of([r["id"] for r in plan.update])
        kept = []
        for record in plan.update:
            facts = tuple(record[name] for name in FACTS)
            before = histories[record["id"]]
            after = timeline.insert_period(before, record["start"], facts)
            old = self.existing[record["id"]]
            plain_changed = any(
                getattr(old, name) != value
                for name, value in record.items()
                if name not in FACTS + INTERNAL + ("id",)
            )
            if after == before and not plain_changed:
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
            record["periods"] = [[record["start"], None, tuple(record[name] for name in FACTS)]]

    def record(self, number, values):
        """The row's values by field; errors recorded."""
        return {
            "full_name": self.field(number, values, "full_name", parse_name),
            "org_unit_id": self.org_id(number, values),
            "position": self.field(number, values, "position", parse_position),
            "gender": self.field(number, values, "gender", parse_gender, required=False),
            "birth_date": self.field(
                number, values, "birth_date", parse_birth_date, required=False
            ),
            "email": self.field(number, values, "email", parse_email, required=False),
            "phone": self.field(number, values, "phone", parse_phone, required=False),
            "status": self.field(number, values, "status", parse_status, required=False)
            or "active",
            **{
                column: self.field(number, values, column, parse, required=False)
                for column, parse in ATTRIBUTES
                if self.given(column)
            },
        }

    def match(self, number, code, moet_id, existing, by_moet):
        """The stored person this row is about: by national identifier first, then by staff
        code. A row whose identifier and code point at two people, or that would change a
        stored identifier, is an error."""
        by_id = by_moet.get(moet_id) if moet_id else None
        if by_id is not None:
            if code is not None and code != by_id.staff_code:
                self.error(
                    number,
                    "moet_id",
                    _l("this national identifier belongs to %(code)s", code=by_id.staff_code),
                )
            return by_id
        old = existing.get(code) if code is not None else None
        if old is not None and moet_id and old.moet_id and old.moet_id != moet_id:
            self.error(
                number,
                "moet_id",
                _l(
                    "%(code)s has the national identifier %(moet_id)s",
                    code=code,
                    moet_id=old.moet_id,
                ),
            )
        return old

    def org_id(self, number, values):
        value = self.field(number, values, "org_code")
        if value is None:
            return None
        try:
            return self.units.find(value)
        except BadValue as exc:
            self.error(number, "org_code", exc.reason)
            return None

    def apply(self, plan):
        now = utcnow()
        histories = {}
        for record in plan.create + plan.update:
            record["search_key"] = fold(record["full_name"])
            record["sort_key"] = name_sort_key(record["full_name"])
            record["updated_at"] = now
            key = record["id"] if "id" in record else record["staff_code"]
            histories[key] = record.pop("periods")
            for name in INTERNAL:
                record.pop(name)
        optional = {name: None for name, _parse in ATTRIBUTES}
        for start in range(0, len(plan.create), BATCH):
            batch = [
                {**optional, **r, "created_at": now} for r in plan.create[start : start + BATCH]
            ]
            db.session.execute(insert(Staff), batch)
        # the unit, position and status go through the history (users follow their unit);
        # one executemany per set of columns, so that left-out attributes keep their values
        by_columns = {}
        for record in plan.update:
            plain = {k: v for k, v in record.items() if k not in FACTS}
            by_columns.setdefault(tuple(sorted(plain)), []).append(plain)
        for rows in by_columns.values():
            for start in range(0, len(rows), BATCH):
                db.session.execute(update(Staff), rows[start : start + BATCH])
        codes = [r["staff_code"] for r in plan.create]
        for start in range(0, len(codes), 5000):
            for sid, code in db.session.execute(
                select(Staff.id, Staff.staff_code).where(
                    Staff.staff_code.in_(codes[start : start + 5000])
                )
            ):
                histories[sid] = histories.pop(code)
        with managed_history():
            write_staff_history(histories)
        # the periods' copies of gender and ethnicity follow the updated records
        copy_staff_attributes(
            r["id"] for r in plan.update if any(name in r for name in STAFF_COPIES)
        )
        index_staff_names((r["id"], r["full_name"]) for r in plan.update)
        index_staff_codes(r["staff_code"] for r in plan.create)
        if len(plan.create) + len(plan.update) > 1000:
            analyze_roster()
        db.session.expire_all()
