"""Import of targets: ``org_code, level, year, percent``; upsert by unit + level + year."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from ..coverage.models import Target
from ..curriculum.models import CertificateLevel
from ..extensions import db
from ..models_base import utcnow
from ..org.models import OrgUnit
from .base import Importer, Plan, first_seen
from .values import BadValue, parse_decimal


def parse_year(value):
    try:
        year = int(str(value).strip())
    except ValueError:
        raise BadValue(_l("not a year")) from None
    if not 2000 <= year <= 2100:
        raise BadValue(_l("year out of range (2000–2100)"))
    return year


def parse_percent(value):
    percent = parse_decimal(value)
    if not 0 <= percent <= 100:
        raise BadValue(_l("percent must be between 0 and 100"))
    return percent.quantize(type(percent)("0.01"))


class TargetImporter(Importer):
    kind = "targets"
    required = ("org_code", "level", "year", "percent")

    def plan(self, rows):
        units = dict(db.session.execute(select(OrgUnit.code, OrgUnit.id)).all())
        levels = dict(db.session.execute(select(CertificateLevel.code, CertificateLevel.id)).all())
        existing = {
            (row.org_unit_id, row.level_id, row.year): row
            for row in db.session.execute(
                select(Target.id, Target.org_unit_id, Target.level_id, Target.year, Target.percent)
            )
        }
        plan, seen = Plan(), {}
        for number, values in rows:
            errors_before = len(self.errors)
            org = self.field(number, values, "org_code")
            if org is not None and org not in units:
                self.error(number, "org_code", _l("unknown org code %(code)s", code=org))
            level = self.field(number, values, "level")
            level_key = level.strip().lower() if level else None
            if level is not None and level_key not in levels:
                self.error(number, "level", _l("unknown level %(code)s", code=level))
            year = self.field(number, values, "year", parse_year)
            percent = self.field(number, values, "percent", parse_percent)
            if len(self.errors) > errors_before:
                continue
            key = (units[org], levels[level_key], year)
            if not first_seen(self, seen, key, number, "org_code"):
                continue
            old = existing.get(key)
            if old is None:
                plan.create.append(
                    {"org_unit_id": key[0], "level_id": key[1], "year": year, "percent": percent}
                )
            elif old.percent != percent:
                plan.update.append({"id": old.id, "percent": percent})
            else:
                plan.unchanged += 1
        return plan

    def apply(self, plan):
        now = utcnow()
        if plan.create:
            db.session.execute(insert(Target), [{**r, "updated_at": now} for r in plan.create])
        if plan.update:
            db.session.execute(update(Target), [{**r, "updated_at": now} for r in plan.update])
        db.session.expire_all()
