"""GET /api/v1/openapi.json: an OpenAPI 3.1 description of the whole API.

Statuses, error codes and limits come from the same enums and ``Limit``s the services use."""

from flask import current_app, jsonify

from ..certificates.errors import CertificateError
from ..certificates.values import CertificateStatus
from ..coverage.breakdown import Dimension
from ..coverage.yearly import Structure
from ..curriculum.errors import CurriculumError
from ..curriculum.values import SCORE
from ..errors import Common
from ..org.attributes import ETHNIC_GROUPS, SchoolLevel
from ..org.values import Gender, Position, StaffStatus
from ..training.errors import TrainingError
from ..training.values import CAPACITY, LOCATION, TITLE, AttendanceStatus, SessionStatus
from . import bp
from .imports import API_IMPORT_KINDS


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def body(schema):
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def answer(description, schema=None):
    result = {"description": description}
    if schema is not None:
        result["content"] = {"application/json": {"schema": schema}}
    return result


def query(name, description, schema=None):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def path_param(name, schema=None):
    return {"name": name, "in": "path", "required": True, "schema": schema or {"type": "string"}}


ERRORS = {
    "400": answer("Bad input", ref("Error")),
    "401": answer("No valid token", ref("Error")),
    "404": answer("Unknown or outside your scope", ref("Error")),
}
TEXT, INT, NUM, BOOL = (
    {"type": "string"},
    {"type": "integer"},
    {"type": "number"},
    {"type": "boolean"},
)
NULLABLE_TEXT = {"type": ["string", "null"]}
NULLABLE_NUM = {"type": ["number", "null"]}


def obj(required=(), **properties):
    return {"type": "object", "properties": properties, "required": list(required)}


def one_of(values, nullable=False):
    """A string schema whose values are the members of an enum."""
    values = [str(v) for v in values]
    if nullable:
        return {"type": ["string", "null"], "enum": [*values, None]}
    return {"type": "string", "enum": values}


ERROR_CODES = sorted(
    {
        str(code)
        for codes in (Common, TrainingError, CurriculumError, CertificateError)
        for code in codes
    }
)


SCHEMAS = {
    "Error": obj(["error", "message"], error=one_of(ERROR_CODES), message=TEXT),
    "OrgUnit": obj(
        ["code", "name", "kind"],
        code=TEXT,
        name=TEXT,
        kind=TEXT,
        parent_code=NULLABLE_TEXT,
        moet_id=NULLABLE_TEXT,
        school_level={
            "type": ["string", "null"],
            "enum": [*(level.value for level in SchoolLevel), None],
        },
        disadvantaged={"type": ["boolean", "null"]},
        valid_from=NULLABLE_TEXT,
        valid_to=NULLABLE_TEXT,
        successor_code=NULLABLE_TEXT,
        children={
            "type": "array",
            "items": obj(["code", "name", "kind"], code=TEXT, name=TEXT, kind=TEXT),
        },
    ),
    "Staff": obj(
        ["staff_code", "full_name", "org_code", "position", "status"],
        staff_code=TEXT,
        full_name=TEXT,
        org_code=TEXT,
        position=one_of(Position),
        gender=one_of(Gender, nullable=True),
        birth_date=NULLABLE_TEXT,
        email=NULLABLE_TEXT,
        phone=NULLABLE_TEXT,
        status=one_of(StaffStatus),
        moet_id=NULLABLE_TEXT,
        ethnicity={"type": ["string", "null"], "enum": [*ETHNIC_GROUPS, None]},
    ),
    "CertificateSummary": obj(
        ["number", "level", "status", "issued_on", "issuer", "external"],
        number=TEXT,
        level=TEXT,
        status=one_of(CertificateStatus),
        issued_on=TEXT,
        expires_on=NULLABLE_TEXT,
        issuer=TEXT,
        external=BOOL,
    ),
    "Session": obj(
        [
            "id",
            "module",
            "title",
            "trainer",
            "org",
            "starts_at",
            "ends_at",
            "capacity",
            "enrolled",
            "status",
        ],
        id=INT,
        module=TEXT,
        title=TEXT,
        trainer=TEXT,
        org=TEXT,
        location=TEXT,
        starts_at=TEXT,
        ends_at=TEXT,
        capacity=CAPACITY.openapi(),
        enrolled=INT,
        status=one_of(SessionStatus),
    ),
    "Enrollment": obj(
        ["staff_code", "full_name"],
        staff_code=TEXT,
        full_name=TEXT,
        status=one_of(AttendanceStatus, nullable=True),
    ),
    "Coverage": obj(
        ["org", "staff_total", "certified"],
        org=TEXT,
        name=TEXT,
        kind=TEXT,
        staff_total=INT,
        certified=INT,
        percent=NULLABLE_NUM,
        target_percent=NULLABLE_NUM,
        gap=NULLABLE_NUM,
    ),
    "CoverageBreakdown": obj(
        ["org", "level", "as_of", "by", "rows"],
        org=TEXT,
        level=TEXT,
        as_of=TEXT,
        by={"type": "array", "items": one_of(Dimension)},
        compare=one_of(Structure),
        last_year_as_of=TEXT,
        rows={
            "type": "array",
            "items": obj(
                ["staff_total", "certified", "percent"],
                staff_total=INT,
                certified=INT,
                percent=NULLABLE_NUM,
                school_level=one_of(SchoolLevel, nullable=True),
                gender={"type": ["string", "null"], "enum": ["male", "female", None]},
                ethnic_minority={"type": ["boolean", "null"]},
                disadvantaged=BOOL,
                position=one_of(Position),
                child=TEXT,
                last_year_staff_total=INT,
                last_year_certified=INT,
                last_year_percent=NULLABLE_NUM,
                change=NULLABLE_NUM,
            ),
        },
    ),
    "Job": obj(
        ["id", "kind", "status", "done", "total", "result", "error"],
        id=INT,
        kind=TEXT,
        status={"type": "string", "enum": ["queued", "running", "done", "failed", "cancelled"]},
        done=INT,
        total={"type": ["integer", "null"]},
        result={"type": ["object", "null"]},
        error=NULLABLE_TEXT,
    ),
    "JobStarted": obj(["job_id", "status_url"], job_id=INT, status_url=TEXT),
    "Verification": obj(
        ["status", "name", "level", "number", "issued_on", "issuer"],
        status=TEXT,
        name=TEXT,
        level=TEXT,
        level_name=TEXT,
        number=TEXT,
        issued_on=TEXT,
        issuer=TEXT,
        expires_on=NULLABLE_TEXT,
    ),
    "PublicKeys": obj(
        ["keys"],
        keys={
            "type": "array",
            "items": obj(
                ["kty", "crv", "x", "kid"],
                kty={"const": "OKP"},
                crv={"const": "Ed25519"},
                x=TEXT,
                kid=TEXT,
                alg=TEXT,
                use=TEXT,
            ),
        },
    ),
    "RevocationList": obj(
        ["revoked", "generated_at"],
        generated_at=TEXT,
        revoked={
            "type": "array",
            "items": obj(["number", "revoked_on"], number=TEXT, revoked_on=NULLABLE_TEXT),
        },
    ),
    "StatementCheck": obj(
        ["result"],
        result={
            "type": "string",
            "enum": ["valid", "revoked", "superseded", "expired", "unknown", "forged", "malformed"],
        },
        revoked_on=TEXT,
        statement=obj([], number=TEXT, name=TEXT, level=TEXT, issued_on=TEXT, issuer=TEXT),
    ),
    "OpenBadgeCredential": {
        "type": "object",
        "description": "An Open Badges 3.0 "
        "OpenBadgeCredential with an eddsa-jcs-2022 Data Integrity proof",
        "required": ["@context", "id", "type", "issuer", "validFrom", "credentialSubject", "proof"],
    },
}


def operation(summary, responses, *, parameters=(), request=None, public=False):
    op = {"summary": summary, "responses": {**responses, **({} if public else ERRORS)}}
    if parameters:
        op["parameters"] = list(parameters)
    if request is not None:
        op["requestBody"] = body(request)
    if public:
        op["security"] = []
    return op


def document():
    session_id = path_param("session_id", INT)
    number = path_param("number")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "trainer API",
            "version": "1",
            "description": "Teachers' digital-skills programme: roster, sessions, "
            "certificates and coverage. Same scopes as the pages.",
        },
        "servers": [{"url": current_app.config["PUBLIC_BASE_URL"] + "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": {
            "/orgunits/{code}": {
                "get": operation(
                    "An org unit with its dates and its children in force on as_of",
                    {"200": answer("The unit", ref("OrgUnit"))},
                    parameters=[path_param("code"), query("as_of", "ISO date (default today)")],
                )
            },
            "/staff": {
                "get": operation(
                    "Search staff in scope",
                    {
                        "200": answer(
                            "A page",
                            obj(
                                ["items", "page", "pages", "total"],
                                items={"type": "array", "items": ref("Staff")},
                                page=INT,
                                pages=INT,
                                total=INT,
                            ),
                        )
                    },
                    parameters=[
                        query("q", "Name words (accents ignored) or a staff code"),
                        query("org", "Unit code: that unit's subtree"),
                        query("page", "Page number", {"type": "integer", "minimum": 1}),
                    ],
                )
            },
            "/staff/{code}": {
                "get": operation(
                    "A staff member and certificates",
                    {"200": answer("The staff member", ref("Staff"))},
                    parameters=[path_param("code")],
                )
            },
            "/staff/{code}/progress": {
                "get": operation(
                    "Progress per level",
                    {"200": answer("Per level: modules done and missing, eligible")},
                    parameters=[path_param("code")],
                )
            },
            "/sessions": {
                "get": operation(
                    "Sessions in scope",
                    {
                        "200": answer(
                            "Sessions",
                            obj(["items"], items={"type": "array", "items": ref("Session")}),
                        )
                    },
                    parameters=[
                        query("org", "Unit code"),
                        query("from", "ISO date"),
                        query("to", "ISO date"),
                    ],
                ),
                "post": operation(
                    "Schedule a session",
                    {
                        "201": answer("Created", ref("Session")),
                        "409": answer("The trainer has an overlapping session", ref("Error")),
                    },
                    request=obj(
                        ["module", "title", "trainer", "org", "starts_at", "ends_at", "capacity"],
                        module=TEXT,
                        title=TITLE.openapi("string"),
                        trainer=TEXT,
                        org=TEXT,
                        location=LOCATION.openapi("string"),
                        starts_at=TEXT,
                        ends_at=TEXT,
                        capacity=CAPACITY.openapi(),
                    ),
                ),
            },
            "/sessions/{session_id}": {
                "get": operation(
                    "A session with its enrolments",
                    {"200": answer("The session")},
                    parameters=[session_id],
                )
            },
            "/sessions/{session_id}/enrollments": {
                "post": operation(
                    "Enrol staff",
                    {"200": answer("Enrolled"), "409": answer("Over capacity", ref("Error"))},
                    parameters=[session_id],
                    request=obj(["staff_codes"], staff_codes={"type": "array", "items": TEXT}),
                )
            },
            "/sessions/{session_id}/attendance": {
                "put": operation(
                    "Record attendance",
                    {"200": answer("Recorded")},
                    parameters=[session_id],
                    request=obj(
                        ["records"],
                        records={
                            "type": "array",
                            "items": obj(
                                ["staff_code", "status"],
                                staff_code=TEXT,
                                status=one_of(AttendanceStatus),
                            ),
                        },
                    ),
                )
            },
            "/results": {
                "post": operation(
                    "Record a result",
                    {"201": answer("Recorded")},
                    request=obj(
                        ["staff_code", "module", "score", "assessed_on"],
                        staff_code=TEXT,
                        module=TEXT,
                        score=SCORE.openapi("number"),
                        assessed_on=TEXT,
                    ),
                )
            },
            "/sync": {
                "post": operation(
                    "Marks and results made offline, each applied at most once by its device id",
                    {
                        "200": answer(
                            "One answer per item: applied, superseded (a later mark "
                            "won) or refused with a reason"
                        ),
                        "400": answer("Malformed items: nothing applied", ref("Error")),
                    },
                    request=obj(
                        ["items"],
                        items={
                            "type": "array",
                            "maxItems": 50,
                            "items": obj(
                                ["id", "kind", "session", "staff_code", "device_at"],
                                id=TEXT,
                                kind={"type": "string", "enum": ["attendance", "result"]},
                                session=INT,
                                staff_code=TEXT,
                                device_at=TEXT,
                                status={
                                    "type": "string",
                                    "enum": ["present", "late", "excused", "absent"],
                                },
                                score=NUM,
                                via=TEXT,
                                card=TEXT,
                            ),
                        },
                    ),
                )
            },
            "/certificates": {
                "post": operation(
                    "Issue a certificate",
                    {
                        "201": answer("Issued"),
                        "409": answer("Already holds one", ref("Error")),
                        "422": answer("Not eligible: missing modules", ref("Error")),
                    },
                    request=obj(["staff_code", "level"], staff_code=TEXT, level=TEXT),
                )
            },
            "/certificates/bulk": {
                "post": operation(
                    "Issue to everyone eligible in a unit",
                    {
                        "201": answer("Issued (the job ended within the request)"),
                        "202": answer("Started as a job: follow status_url", ref("JobStarted")),
                        "422": answer("The job failed", ref("Error")),
                    },
                    request=obj(["org", "level"], org=TEXT, level=TEXT),
                )
            },
            "/imports/{kind}": {
                "post": {
                    **operation(
                        "Check (dry_run) or import a CSV or XLSX file, all rows or none, as a job",
                        {
                            "201": answer("Checked or imported (the job ended within the request)"),
                            "202": answer("Started as a job: follow status_url", ref("JobStarted")),
                            "422": answer(
                                "Nothing imported: the report lists every bad row", ref("Error")
                            ),
                        },
                        parameters=[
                            path_param("kind", one_of(API_IMPORT_KINDS)),
                            query("dry_run", "true: check only, write nothing", BOOL),
                        ],
                    ),
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": obj(["file"], file={"type": "string", "format": "binary"})
                            }
                        },
                    },
                }
            },
            "/accounts/bulk": {
                "post": operation(
                    "Accounts with one-time passwords for a unit's staff who have none, "
                    "as a job; its file (password sheets) is for the caller only",
                    {
                        "201": answer("Created (the job ended within the request)"),
                        "202": answer("Started as a job: follow status_url", ref("JobStarted")),
                        "409": answer("Everybody in the unit has an account", ref("Error")),
                        "422": answer("The job failed", ref("Error")),
                    },
                    request=obj(["org"], org=TEXT),
                )
            },
            "/jobs/{job_id}/file": {
                "get": operation(
                    "The file a job made; 404 once expired",
                    {
                        "200": {
                            "description": "The file",
                            "content": {"application/octet-stream": {}},
                        }
                    },
                    parameters=[
                        path_param(
                            "job_id", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
                        )
                    ],
                )
            },
            "/jobs/{job_id}": {
                "get": operation(
                    "Where a long operation stands",
                    {"200": answer("The job", ref("Job"))},
                    parameters=[
                        path_param(
                            "job_id", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
                        )
                    ],
                )
            },
            "/certificates/{number}": {
                "get": operation(
                    "A certificate", {"200": answer("The certificate")}, parameters=[number]
                )
            },
            "/certificates/{number}.pdf": {
                "get": operation(
                    "The certificate PDF",
                    {"200": {"description": "PDF", "content": {"application/pdf": {}}}},
                    parameters=[number],
                )
            },
            "/certificates/{number}/credential": {
                "get": operation(
                    "The certificate as a signed Open Badges 3.0 credential (JSON)",
                    {"200": answer("The credential", ref("OpenBadgeCredential"))},
                    parameters=[number],
                )
            },
            "/certificates/{number}/credential.jwt": {
                "get": operation(
                    "The same credential as a VC-JWT (Open Badges 3.0 §8.2)",
                    {
                        "200": {
                            "description": "A compact JWS (EdDSA)",
                            "content": {"application/vc+jwt": {"schema": TEXT}},
                        }
                    },
                    parameters=[number],
                )
            },
            "/certificates/{number}/revoke": {
                "post": operation(
                    "Revoke a certificate",
                    {"200": answer("Revoked"), "409": answer("Not valid", ref("Error"))},
                    parameters=[number],
                    request=obj(["reason"], reason=TEXT),
                )
            },
            "/coverage": {
                "get": operation(
                    "Coverage of a unit and its children",
                    {"200": answer("Coverage", ref("Coverage"))},
                    parameters=[
                        query("org", "Unit code"),
                        query("level", "Level code (basic)"),
                        query("as_of", "ISO date"),
                        query("position", "Staff position", one_of(Position)),
                    ],
                )
            },
            "/coverage/breakdown": {
                "get": operation(
                    "Coverage of a unit on a date broken down by one or two dimensions",
                    {"200": answer("One row per cell", ref("CoverageBreakdown"))},
                    parameters=[
                        query("org", "Unit code"),
                        query("level", "Level code (basic)"),
                        query("as_of", "ISO date"),
                        query(
                            "by",
                            "One dimension, or two separated by a comma: " + ", ".join(Dimension),
                        ),
                        query(
                            "compare",
                            "Year on year: last year's figures by the structure of that date "
                            "(date) or of as_of (today)",
                            one_of(Structure),
                        ),
                    ],
                )
            },
            "/verify/{code}": {
                "get": operation(
                    "Verify a certificate (public)",
                    {
                        "200": answer("Its status", ref("Verification")),
                        "404": answer("Unknown code", ref("Error")),
                    },
                    parameters=[path_param("code")],
                    public=True,
                )
            },
            "/verify/keys": {
                "get": operation(
                    "The province's public keys (JWKS) that sign the statements in QR codes",
                    {"200": answer("The keys, the current one first", ref("PublicKeys"))},
                    public=True,
                )
            },
            "/verify/revoked": {
                "get": operation(
                    "Numbers of revoked certificates with their dates (for offline checks)",
                    {"200": answer("The revocation list", ref("RevocationList"))},
                    public=True,
                )
            },
            "/verify/statement": {
                "post": operation(
                    "Check a signed statement (or a scanned QR address) against the records",
                    {
                        "200": answer("The verdict", ref("StatementCheck")),
                        "400": answer("No statement given", ref("Error")),
                    },
                    request=obj(["statement"], statement=TEXT),
                    public=True,
                )
            },
            "/openapi.json": {
                "get": operation("This document", {"200": answer("OpenAPI")}, public=True)
            },
        },
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
