"""The reorganisation file (SPEC §9): ``code, action, on, to_code, name``; all or nothing."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..org.models import OrgUnit
from ..org.reorganisation import apply_plan, plan_changes
from .base import Importer, Plan
from .orgunits import parse_code, parse_name, report_problems
from .values import BadValue, lookup, parse_date

ACTION_ALIASES = {
    "move": "move",
    "close": "close",
    "rename": "rename",
    "chuyen": "move",
    "chuyển": "move",
    "dong": "close",
    "đóng": "close",
    "sap nhap": "close",
    "sáp nhập": "close",
    "doi ten": "rename",
    "đổi tên": "rename",
}


def parse_action(value):
    return lookup(value, ACTION_ALIASES, _l("unknown action: use move, close or rename"))


class ReorganisationImporter(Importer):
    kind = "reorganisation"
    required = ("code", "action", "on")
    optional = ("to_code", "name")

    def plan(self, rows):
        codes = set(db.session.scalars(select(OrgUnit.code)))
        changes, row_of = [], {}
        for number, values in rows:
            before = len(self.errors)
            code = self.field(number, values, "code", parse_code)
            action = self.field(number, values, "action", parse_action)
            on = self.field(number, values, "on", parse_date)
            to_code = self.field(
                number, values, "to_code", parse_code, required=action in ("move", "close")
            )
            name = self.field(number, values, "name", parse_name, required=action == "rename")
            for column, value in (("code", code), ("to_code", to_code)):
                if value is not None and value not in codes:
                    self.error(number, column, _l("unknown org code %(code)s", code=value))
            if len(self.errors) == before:
                changes.append((number, code, action, on, to_code, name))
                row_of.setdefault(code, number)
                if to_code:
                    row_of.setdefault(to_code, number)
        plan = Plan()
        if self.errors:
            return plan
        changed = plan_changes(changes)
        for number, column, _kind, details in changed.problems:
            self.error(
                number,
                column,
                _l(
                    "%(code)s is not in force on %(day)s",
                    code=details["code"],
                    day=details["day"].strftime("%d/%m/%Y"),
                ),
            )
        report_problems(self, changed.lives, row_of)
        plan.changes = changed
        plan.update = sorted(changed.touched)
        plan.preview = preview(changed)
        return plan

    def apply(self, plan):
        plan.record = apply_plan(
            plan.changes,
            filename=getattr(self, "filename", "upload"),
            actor=getattr(self, "actor", None),
            summary=plan.preview,
        )


def preview(changed):
    """{"receiving": [{code, name, units, staff}], "closing": [{code, last_day, successor}],
    "staff_moved": n} for the screen, the terminal and the record."""
    names = dict(db.session.execute(select(OrgUnit.code, OrgUnit.name)).all())
    return {
        "receiving": [
            {
                "code": code,
                "name": names.get(code, code),
                "units": entry["units"],
                "staff": entry["staff"],
            }
            for code, entry in sorted(changed.receiving.items())
        ],
        "closing": [
            {
                "code": code,
                "name": names.get(code, code),
                "last_day": last.isoformat(),
                "successor": heir,
            }
            for code, last, heir in changed.closing
        ],
        "staff_moved": len(changed.staff),
    }


__all__ = ["ReorganisationImporter", "BadValue"]
