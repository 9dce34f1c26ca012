"""Import of external certificates: ``staff_code, level, number, issued_on, issuer, expires_on``;
upsert by issuer + number."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from ..certificates.models import Certificate
from ..curriculum.models import CertificateLevel
from ..extensions import db
from ..models_base import utcnow
from ..org.models import Staff
from .base import Importer, Plan, first_seen
from .values import parse_date
from .values import parse_text as parse_plain_text

FIELDS = ("staff_id", "level_id", "issued_on", "expires_on", "issuer")


def parse_text(limit):
    def parse(value):
        return parse_plain_text(value, limit)

    return parse


class CertificateImporter(Importer):
    kind = "certificates"
    required = ("staff_code", "level", "number", "issued_on", "issuer")
    optional = ("expires_on",)

    def plan(self, rows):
        staff = {
            row.staff_code: row
            for row in db.session.execute(select(Staff.id, Staff.staff_code, Staff.full_name))
        }
        levels = dict(db.session.execute(select(CertificateLevel.code, CertificateLevel.id)).all())
        existing = {
            (row.issuer_key, row.number): row
            for row in db.session.execute(
                select(
                    Certificate.id,
                    Certificate.issuer_key,
                    Certificate.number,
                    *(getattr(Certificate, name) for name in FIELDS),
                ).where(Certificate.external.is_(True))
            )
        }
        plan, seen = Plan(), {}
        for number, values in rows:
            errors_before = len(self.errors)
            code = self.field(number, values, "staff_code")
            if code is not None and code not in staff:
                self.error(number, "staff_code", _l("unknown staff code %(code)s", code=code))
            level = self.field(number, values, "level")
            if level is not None and level.strip().lower() not in levels:
                self.error(number, "level", _l("unknown level %(code)s", code=level))
            cert_number = self.field(number, values, "number", parse_text(64))
            issued_on = self.field(number, values, "issued_on", parse_date)
            issuer = self.field(number, values, "issuer", parse_text(255))
            expires_on = self.field(number, values, "expires_on", parse_date, required=False)
            if issued_on and expires_on and expires_on <= issued_on:
                self.error(number, "expires_on", _l("expires on or before the issue date"))
            if issuer and cert_number:
                first_seen(self, seen, (issuer, cert_number), number, "number")
            if len(self.errors) > errors_before:
                continue
            record = {
                "staff_id": staff[code].id,
                "level_id": levels[level.strip().lower()],
                "issued_on": issued_on,
                "expires_on": expires_on,
                "issuer": issuer,
            }
            old = existing.get((issuer, cert_number))
            if old is None:
                plan.create.append(
                    {
                        **record,
                        "number": cert_number,
                        "issuer_key": issuer,
                        "printed_name": staff[code].full_name,
                    }
                )
            elif any(getattr(old, name) != record[name] for name in FIELDS):
                plan.update.append({"id": old.id, **record})
            else:
                plan.unchanged += 1
        return plan

    def apply(self, plan):
        if plan.create:
            now = utcnow()
            db.session.execute(
                insert(Certificate),
                [
                    {
                        **r,
                        "external": True,
                        "status": "valid",
                        "printed_unit": "",
                        "created_at": now,
                    }
                    for r in plan.create
                ],
            )
        if plan.update:
            db.session.execute(update(Certificate), plan.update)
        db.session.expire_all()
