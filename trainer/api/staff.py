"""Staff endpoints: search and list within scope, detail with certificates."""

from flask import current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..bounds import page_arg
from ..certificates.models import Certificate
from ..extensions import db
from ..org.models import OrgUnit, Staff
from ..org.services import staff_query
from ..pagination import paginate_rows
from . import bp
from .auth import scope


def staff_fields(staff):
    return {
        "staff_code": staff.staff_code,
        "full_name": staff.full_name,
        "org_code": staff.org_unit.code,
        "position": staff.position,
        "gender": staff.gender,
        "birth_date": staff.birth_date.isoformat() if staff.birth_date else None,
        "email": staff.email,
        "phone": staff.phone,
        "status": staff.status,
        "moet_id": staff.moet_id,
        "ethnicity": staff.ethnicity,
    }


def certificate_summary(cert):
    return {
        "number": cert.number,
        "level": cert.level.code,
        "status": cert.status,
        "issued_on": cert.issued_on.isoformat(),
        "expires_on": cert.expires_on.isoformat() if cert.expires_on else None,
        "issuer": cert.issuer,
        "external": cert.external,
    }


def page_number():
    return page_arg()


LIST_COLUMNS = (
    Staff.staff_code,
    Staff.full_name,
    OrgUnit.code.label("org_code"),
    Staff.position,
    Staff.gender,
    Staff.birth_date,
    Staff.email,
    Staff.phone,
    Staff.status,
    Staff.moet_id,
    Staff.ethnicity,
)
FIELD_NAMES = [column.key for column in LIST_COLUMNS]


@bp.get("/staff")
def staff_list():
    user_scope = scope()
    unit = user_scope.unit_or_404(request.args["org"]) if request.args.get("org") else None
    query = request.args.get("q", "")[:100]
    # plain rows of the columns the answer shows: building ORM objects was most of the cost
    stmt = (
        staff_query(user_scope, q=query, unit=unit)
        .with_only_columns(*LIST_COLUMNS)
        .join(OrgUnit, OrgUnit.id == Staff.org_unit_id)
    )
    page = paginate_rows(stmt, page_number(), current_app.config["PAGE_SIZE"])
    items = [
        {name: row[index] for index, name in enumerate(FIELD_NAMES)}
        | {"birth_date": row.birth_date.isoformat() if row.birth_date else None}
        for row in page.items
    ]
    return jsonify(items=items, page=page.page, pages=page.pages, total=page.total)


@bp.get("/staff/<code>")
def staff_detail(code):
    staff = scope().staff_or_404(code)
    certificates = db.session.scalars(
        select(Certificate)
        .where(Certificate.staff_id == staff.id)
        .options(joinedload(Certificate.level))
        .order_by(Certificate.issued_on)
    )
    return jsonify(
        **staff_fields(staff), certificates=[certificate_summary(c) for c in certificates]
    )
