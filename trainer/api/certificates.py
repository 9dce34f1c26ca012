"""Results, progress, certificates and public verification."""

from flask import Response, current_app, g, jsonify, url_for
from sqlalchemy import select

from ..accounts.scope import Capability
from ..bounds import parse_date
from ..certificates import services
from ..certificates.errors import CertificateError
from ..certificates.held_levels import held_ranks
from ..certificates.models import Certificate
from ..certificates.request_helpers import (
    allow_self,
    certificate_credential,
    certificate_or_404,
    certificate_pdf,
    certificate_to_download,
    level_or_none,
    settings,
)
from ..certificates.verification import certificate_by_code, public_facts, verify_rate_limit
from ..curriculum import services as curriculum
from ..curriculum.eligibility import all_levels, completed_modules, level_progress, missing_for
from ..curriculum.errors import CurriculumError
from ..errors import Common, InvalidInput, NotFound
from ..extensions import db
from ..org.models import Staff
from . import bp
from .auth import scope
from .jobs import accepted
from .jobs import start as start_job
from .json import json_body, need, plain_text
from .staff import certificate_summary


def issuer(capability=Capability.ISSUE_CERTIFICATES):
    if not scope().can(capability):
        raise NotFound(Common.NOT_FOUND)


def staff_in_scope(code):
    staff = db.session.scalar(scope().staff().where(Staff.staff_code == code))
    if staff is None:
        raise NotFound(Common.UNKNOWN_STAFF, staff_code=code)
    return staff


@bp.post("/results")
def result_create():
    issuer(Capability.RECORD_RESULTS)
    body = json_body()
    staff = staff_in_scope(need(body, "staff_code", str))
    module = curriculum.module_by_code(need(body, "module", str))
    score = body.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float)):
        raise InvalidInput(CurriculumError.SCORE_NOT_A_NUMBER, field="score")
    assessed_on = parse_date(need(body, "assessed_on", str), "assessed_on")
    result = curriculum.record_result(
        staff, module, score, assessed_on, recorded_by=g.api_user, allow_self=allow_self()
    )
    return jsonify(
        id=result.id,
        staff_code=staff.staff_code,
        module=module.code,
        score=float(result.score),
        assessed_on=assessed_on.isoformat(),
        passed=result.score >= module.pass_score,
    ), 201


@bp.get("/staff/<code>/progress")
def staff_progress(code):
    staff = scope().staff_or_404(code)
    done = completed_modules([staff.id]).get(staff.id, set())
    rank = held_ranks([staff.id]).get(staff.id, 0)
    by_level = {lv.id: level_progress(lv, done, rank) for lv in all_levels()}
    levels = []
    for p in by_level.values():
        levels.append(
            {
                "level": p.level.code,
                "required_done": [m.code for m in p.required_done],
                "required_missing": [m.code for m in p.required_missing],
                "electives_done": [m.code for m in p.electives_done],
                "electives_needed": p.electives_needed,
                "prerequisite": p.level.prerequisite.code if p.level.prerequisite else None,
                "prerequisite_held": p.prerequisite_missing is None,
                "held": p.held,
                "eligible": p.eligible,
                "missing": [] if p.eligible else missing_for(p, by_level),
            }
        )
    certs = db.session.scalars(select(Certificate).where(Certificate.staff_id == staff.id))
    return jsonify(
        staff_code=staff.staff_code,
        levels=levels,
        certificates=[certificate_summary(c) for c in certs],
    )


def certificate_json(cert):
    base = current_app.config["PUBLIC_BASE_URL"]
    return certificate_summary(cert) | {
        "staff_code": cert.staff.staff_code,
        "name": cert.printed_name,
        "verification_code": cert.verification_code,
        "verify_url": f"{base}/verify/{cert.verification_code}",
        "pdf_url": base + url_for("api.certificate_pdf_download", number=cert.number),
        "revoked_on": cert.revoked_on.isoformat() if cert.revoked_on else None,
        "revoked_reason": cert.revoked_reason,
        "superseded_by": cert.superseded_by.number if cert.superseded_by else None,
    }


def level_from(body):
    level = level_or_none(need(body, "level", str))
    if level is None:
        raise InvalidInput(CurriculumError.UNKNOWN_LEVEL, field="level")
    return level


@bp.post("/certificates")
def certificate_issue():
    issuer()
    body = json_body()
    staff = staff_in_scope(need(body, "staff_code", str))
    cert = services.issue_certificate(
        staff, level_from(body), issued_by=g.api_user, settings=settings()
    )
    return jsonify(certificate_json(cert)), 201


@bp.post("/certificates/bulk")
def certificate_bulk():
    issuer()
    body = json_body()
    unit = scope().unit_or_404(need(body, "org", str))
    level = level_from(body)
    job = start_job(
        "certificates.issue_bulk", {"org": unit.code, "level": level.code}, org_unit=unit
    )
    return accepted(job)


@bp.get("/certificates/<number>")
def certificate_get(number):
    return jsonify(certificate_json(certificate_or_404(scope(), number)))


@bp.get("/certificates/<number>.pdf")
def certificate_pdf_download(number):
    cert = certificate_to_download(scope(), number)
    return Response(certificate_pdf(cert), mimetype="application/pdf")


@bp.get("/certificates/<number>/credential")
def certificate_credential_json(number):
    body, mimetype, _name = certificate_credential(certificate_or_404(scope(), number), "json")
    return Response(body, mimetype=mimetype)


@bp.get("/certificates/<number>/credential.jwt")
def certificate_credential_jwt(number):
    body, mimetype, _name = certificate_credential(certificate_or_404(scope(), number), "jwt")
    return Response(body, mimetype=mimetype)


@bp.post("/certificates/<number>/revoke")
def certificate_revoke(number):
    issuer(Capability.REVOKE_CERTIFICATES)
    cert = certificate_or_404(scope(), number)
    reason = json_body().get("reason")
    if not isinstance(reason, str):
        raise InvalidInput(CertificateError.REASON_REQUIRED, field="reason")
    reason = plain_text(reason, "reason")
    services.revoke(cert, reason, actor=g.api_user)
    return jsonify(certificate_json(cert))


@bp.get("/verify/<code>")
@verify_rate_limit
def verify(code):
    return jsonify(public_facts(certificate_by_code(code)))
