"""The authorization matrix: every route × every role, inside and outside scope.

The table below is the specification. A route that the app has and the table lacks fails
``test_every_route_is_in_the_matrix``, so nothing new can be forgotten.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from trainer.accounts.models import ApiToken
from trainer.accounts.services import issue_token
from trainer.certificates.services import IssueSettings, new_certificate, reserve_numbers
from trainer.curriculum.models import CertificateLevel, Module
from trainer.jobs.models import Job
from trainer.jobs.services import files_dir
from trainer.training import services as training
from trainer.training.calendar import feed_url_for

from .. import factories

ROLES = ("anonymous", "teacher", "trainer_in", "trainer_out", "manager_in", "manager_out", "admin")
SIGNED_IN = set(ROLES) - {"anonymous"}
PUBLIC = set(ROLES)
WITH_STAFF = SIGNED_IN - {"admin"}
SEES_TEACHER = {"admin", "trainer_in", "manager_in", "teacher"}  # the teacher's record
ISSUERS = {"admin", "trainer_in"}  # manage sessions and certificates in DB-A
HEADS = {"admin", "manager_in"}  # the DB-A dashboard
ALL_UNIT_ROLES = {"admin", "trainer_in", "trainer_out", "manager_in", "manager_out"}

# endpoint: (method, url, allowed roles, body)
MATRIX = {
    "accounts.login": ("GET", "/login", PUBLIC, None),
    "accounts.logout": ("POST", "/logout", PUBLIC, None),
    "accounts.reset": ("POST", "/admin/users/{user}/reset", {"admin"}, {}),
    "accounts.revoke": ("POST", "/admin/tokens/{token}/revoke", {"admin"}, {}),
    "accounts.toggle_active": ("POST", "/admin/users/{user}/active", {"admin"}, {"active": "1"}),
    "accounts.users": ("GET", "/admin/users", {"admin"}, None),
    "accounts.password": ("GET", "/account/password", SIGNED_IN, None),
    "admin.audit_log": ("GET", "/admin/audit", {"admin"}, None),
    "admin.bulk_accounts": ("GET", "/accounts/bulk", {"admin", "manager_in", "manager_out"}, None),
    "admin.imports": ("GET", "/imports", {"admin"}, None),
    "admin.imports_mapping": ("POST", "/imports/mapping", {"admin"}, {}),
    "admin.reorganisations": ("GET", "/admin/reorganisations", {"admin"}, None),
    "admin.reorganisations_confirm": ("POST", "/admin/reorganisations/confirm", {"admin"}, {}),
    "admin.reorganisations_undo": (
        "POST",
        "/admin/reorganisations/{reorganisation}/undo",
        {"admin"},
        {},
    ),
    "admin.imports_confirm": ("POST", "/imports/confirm", {"admin"}, {}),
    "api.certificate_bulk": (
        "POST",
        "/api/v1/certificates/bulk",
        ISSUERS,
        {"org": "DB-A", "level": "basic"},
    ),
    "api.certificate_get": ("GET", "/api/v1/certificates/{cert}", SEES_TEACHER, None),
    "api.certificate_issue": (
        "POST",
        "/api/v1/certificates",
        ISSUERS,
        {"staff_code": "{teacher}", "level": "basic"},
    ),
    "api.certificate_pdf_download": ("GET", "/api/v1/certificates/{cert}.pdf", SEES_TEACHER, None),
    "api.certificate_revoke": ("POST", "/api/v1/certificates/{cert}/revoke", ISSUERS, {}),
    "api.coverage_get": ("GET", "/api/v1/coverage?org=DB-A", HEADS, None),
    "api.coverage_breakdown_get": (
        "GET",
        "/api/v1/coverage/breakdown?org=DB-A&by=gender",
        HEADS,
        None,
    ),
    "api.job_get": ("GET", "/api/v1/jobs/{job}", {"admin", "trainer_in"}, None),
    "api.job_file_download": ("GET", "/api/v1/jobs/{job}/file", {"admin", "trainer_in"}, None),
    "api.import_start": ("POST", "/api/v1/imports/staff", {"admin"}, None),
    "api.accounts_bulk": ("POST", "/api/v1/accounts/bulk", HEADS, {"org": "DB-A"}),
    "api.openapi": ("GET", "/api/v1/openapi.json", PUBLIC, None),
    "api.orgunit_detail": (
        "GET",
        "/api/v1/orgunits/DB-A-S1",
        {"admin", "trainer_in", "manager_in"},
        None,
    ),
    "api.result_create": (
        "POST",
        "/api/v1/results",
        ISSUERS,
        {"staff_code": "{teacher}", "module": "IU01", "score": 50, "assessed_on": "2026-01-05"},
    ),
    "api.session_attendance": (
        "PUT",
        "/api/v1/sessions/{session}/attendance",
        ISSUERS,
        {"records": []},
    ),
    "api.session_create": ("POST", "/api/v1/sessions", ISSUERS | {"trainer_out"}, {}),
    "api.session_detail": ("GET", "/api/v1/sessions/{session}", SEES_TEACHER, None),
    "api.session_enroll": (
        "POST",
        "/api/v1/sessions/{session}/enrollments",
        ISSUERS,
        {"staff_codes": []},
    ),
    "api.session_list": ("GET", "/api/v1/sessions", SIGNED_IN, None),
    "api.sync": ("POST", "/api/v1/sync", ISSUERS | {"trainer_out"}, {"items": []}),
    "api.staff_detail": ("GET", "/api/v1/staff/{teacher}", SEES_TEACHER, None),
    "api.staff_list": ("GET", "/api/v1/staff", SIGNED_IN, None),
    "api.staff_progress": ("GET", "/api/v1/staff/{teacher}/progress", SEES_TEACHER, None),
    "api.verify": ("GET", "/api/v1/verify/{code}", PUBLIC, None),
    "api.verify_keys": ("GET", "/api/v1/verify/keys", PUBLIC, None),
    "api.verify_revoked": ("GET", "/api/v1/verify/revoked", PUBLIC, None),
    "api.verify_statement": ("POST", "/api/v1/verify/statement", PUBLIC, {"statement": "a.b.c"}),
    "api.certificate_credential_json": (
        "GET",
        "/api/v1/certificates/{cert}/credential",
        SEES_TEACHER,
        None,
    ),
    "api.certificate_credential_jwt": (
        "GET",
        "/api/v1/certificates/{cert}/credential.jwt",
        SEES_TEACHER,
        None,
    ),
    "training.add_result": ("POST", "/staff/{teacher}/results", ISSUERS, {}),
    "certificates.bulk": ("GET", "/certificates/bulk?org=DB-A", ISSUERS, None),
    "certificates.design_edit": ("GET", "/admin/designs/new", {"admin"}, None),
    "certificates.design_preview_pdf": ("GET", "/admin/designs/preview.pdf", {"admin"}, None),
    "certificates.design_preview_png": ("GET", "/admin/designs/preview.png", {"admin"}, None),
    "certificates.designs_list": ("GET", "/admin/designs", {"admin"}, None),
    "certificates.detail": ("GET", "/certificates/{cert}", SEES_TEACHER, None),
    "certificates.credential": ("GET", "/certificates/{cert}.json", SEES_TEACHER, None),
    "certificates.download": ("GET", "/certificates/{cert}.pdf", SEES_TEACHER, None),
    "certificates.issue": ("POST", "/staff/{teacher}/certificates", ISSUERS, {"level": "basic"}),
    "certificates.issuing": ("GET", "/admin/issuing", {"admin"}, None),
    "certificates.levels": ("GET", "/admin/levels", {"admin"}, None),
    "certificates.mine": ("GET", "/my/certificates", WITH_STAFF, None),
    "certificates.modules": ("GET", "/admin/modules", {"admin"}, None),
    "certificates.print_unit": ("POST", "/certificates/print.pdf", ISSUERS, {"org": "DB-A"}),
    "certificates.reissue": ("POST", "/certificates/{cert}/reissue", ISSUERS, {}),
    "certificates.revoke": ("POST", "/certificates/{cert}/revoke", ISSUERS, {"reason": ""}),
    "training.session_results": ("GET", "/sessions/{session}/results", ISSUERS, None),
    "certificates.verify": ("GET", "/verify/{code}", PUBLIC, None),
    "certificates.scan": ("GET", "/verify/scan", PUBLIC, None),
    "coverage.activity": ("GET", "/coverage/activity?org=DB-A", HEADS, None),
    "coverage.analysis": ("GET", "/coverage/analysis?org=DB-A&by=gender", HEADS, None),
    "coverage.completeness": ("GET", "/coverage/completeness?org=DB-A", HEADS, None),
    "coverage.dashboard": ("GET", "/coverage?org=DB-A", HEADS, None),
    "coverage.export": ("GET", "/coverage/export.csv?org=DB-A", HEADS, None),
    "coverage.pack": ("POST", "/coverage/pack.xlsx?org=DB-A", HEADS, {}),
    "coverage.report": ("GET", "/coverage/report.pdf?org=DB-A", HEADS, None),
    "coverage.targets": ("GET", "/coverage/targets", {"admin", "manager_in", "manager_out"}, None),
    "coverage.uncertified": ("GET", "/coverage/uncertified?org=DB-A", HEADS, None),
    "directory.org_root": ("GET", "/org", ALL_UNIT_ROLES, None),
    "directory.org_unit": ("GET", "/org/DB-A", {"admin", "trainer_in", "manager_in"}, None),
    "directory.staff_export": ("GET", "/staff/export.csv", ALL_UNIT_ROLES, None),
    # the pickers' suggestions: in the user's scope (tests/directory/test_pickers.py)
    "directory.pick_units": ("GET", "/pick/units?q=DB", ALL_UNIT_ROLES, None),
    "directory.pick_staff": ("GET", "/pick/staff?q=an", ALL_UNIT_ROLES, None),
    "directory.staff_list": ("GET", "/staff", SIGNED_IN, None),
    "directory.staff_profile": ("GET", "/staff/{teacher}", SEES_TEACHER, None),
    "jobs.cancel": ("POST", "/jobs/{job}/cancel", {"admin", "trainer_in"}, {}),
    "jobs.detail": ("GET", "/jobs/{job}", {"admin", "trainer_in"}, None),
    "jobs.download": ("GET", "/jobs/{job}/file", {"admin", "trainer_in"}, None),
    "jobs.job_list": ("GET", "/jobs", SIGNED_IN, None),
    "jobs.retry": ("POST", "/jobs/{job}/retry", {"admin", "trainer_in"}, {}),
    "jobs.status": ("GET", "/jobs/{job}.json", {"admin", "trainer_in"}, None),
    "main.healthz": ("GET", "/healthz", PUBLIC, None),
    "main.home": ("GET", "/home", SIGNED_IN, None),
    "main.manifest": ("GET", "/manifest.webmanifest", PUBLIC, None),
    "main.service_worker": ("GET", "/sw.js", PUBLIC, None),
    "main.index": ("GET", "/", PUBLIC, None),
    "training.all_present": ("POST", "/sessions/{session}/attendance/all-present", ISSUERS, {}),
    "training.ask_for_place": (
        "POST",
        "/sessions/{open_session}/request",
        {"teacher", "trainer_in", "manager_in"},
        {},
    ),
    "training.attendance": (
        "POST",
        "/sessions/{session}/attendance",
        ISSUERS,
        {"staff_code": "{teacher}", "status": "present"},
    ),
    "training.attendance_sheet": ("GET", "/sessions/{session}/attendance/sheet", ISSUERS, None),
    "training.available": ("GET", "/sessions/available", WITH_STAFF, None),
    "training.cancel": ("POST", "/sessions/{session}/cancel", ISSUERS, {}),
    "training.checkin_code": ("GET", "/sessions/{session}/checkin-code", ISSUERS, None),
    # only someone on the roster learns anything about the session (issue 14.6)
    "training.checkin_link": ("GET", "/checkin/{session}/not-a-valid-code", {"teacher"}, None),
    "training.checkin_typed": ("GET", "/checkin", SIGNED_IN, None),
    "training.create": ("GET", "/sessions/new", ISSUERS | {"trainer_out"}, None),
    "training.decide": ("POST", "/requests/{request}/decide", ISSUERS, {"decision": "decline"}),
    "training.detail": ("GET", "/sessions/{session}", SEES_TEACHER, None),
    "training.edit": ("GET", "/sessions/{session}/edit", ISSUERS, None),
    "training.enroll": ("POST", "/sessions/{session}/enroll", ISSUERS, {}),
    "training.feed": ("GET", "{feed}", PUBLIC, None),
    "training.renew_feed": ("POST", "/calendar/renew", SIGNED_IN, {}),
    "training.session_ics": ("GET", "/sessions/{session}.ics", SEES_TEACHER, None),
    "training.session_list": ("GET", "/sessions", SIGNED_IN, None),
    "training.sheet": ("GET", "/sessions/{session}/sheet.pdf", ISSUERS, None),
    "training.unenroll": ("POST", "/sessions/{session}/unenroll/{teacher}", ISSUERS, {}),
    "training.week": ("GET", "/sessions/week", SIGNED_IN, None),
    "training.offline_data": ("GET", "/sessions/offline.json", ISSUERS | {"trainer_out"}, None),
    "training.sync_state": ("GET", "/sessions/sync", SIGNED_IN, None),
    "training.sync": ("POST", "/sessions/sync", ISSUERS | {"trainer_out"}, {}),
    "training.unsent_file": ("GET", "/sessions/unsent-file", ISSUERS | {"trainer_out"}, None),
    "training.my_card": ("GET", "/me/card", WITH_STAFF, None),
}


# routes whose normal answer is the sign-in page (signing out; the front door when signed out)
LOGIN_IS_THE_ANSWER = {"accounts.logout", "main.index"}
# routes the tablet's scripts call: signed out, they answer 401 JSON, not the sign-in page
SCRIPT_JSON = {
    "training.offline_data",
    "training.sync_state",
    "training.sync",
    "directory.pick_units",
    "directory.pick_staff",
}


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert sorted(endpoints - set(MATRIX)) == [], "routes without an entry in the matrix"
    assert sorted(set(MATRIX) - endpoints) == [], "entries for routes that no longer exist"


@pytest.fixture
def world(app, db, tree):
    """Two districts, a teacher enrolled in a session of DB-A, a certificate, a request."""
    module = db.session.scalar(select(Module).where(Module.code == "IU01"))
    trainer_in = factories.make_staff(tree["DB-A-S1"], "Lò Văn Giảng", "it_teacher")
    teacher = factories.make_staff(tree["DB-A-S1"], "Nguyễn Tiến Thắng", staff_code="TCH1")
    start = datetime.now(UTC) + timedelta(days=3)
    session = training.create_session(
        module=module,
        title="Buổi A",
        trainer=trainer_in,
        venue=tree["DB-A-S1"],
        location="",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=10,
    )
    training.enroll(session, [teacher])
    open_session = training.create_session(
        module=db.session.scalar(select(Module).where(Module.code == "IU02")),
        title="Buổi B",
        trainer=trainer_in,
        venue=tree["DB-A-S2"],
        location="",
        starts_at=start + timedelta(days=1),
        ends_at=start + timedelta(days=1, hours=2),
        capacity=10,
    )
    request = training.request_place(open_session, teacher)
    level = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    [number] = reserve_numbers("DB", date.today().year, 1)
    cert = new_certificate(
        teacher, level, number, issued_by=None, issued_on=date.today(), settings=IssueSettings()
    )
    db.session.add(cert)
    users = {
        "teacher": factories.make_user("teacher", tree["DB-A-S1"], staff=teacher),
        "trainer_in": factories.make_user("trainer", tree["DB-A"], staff=trainer_in),
        "trainer_out": factories.make_user("trainer", tree["DB-B"]),
        "manager_in": factories.make_user("manager", tree["DB-A"]),
        "manager_out": factories.make_user("manager", tree["DB-B"]),
        "admin": factories.make_user("admin", tree["DB"]),
    }
    db.session.commit()
    issue_token(users["teacher"], "phone")
    from trainer.org.reorganisation import apply_plan, plan_changes

    reorganisation = apply_plan(
        plan_changes(
            [(2, "DB-B-S1", "rename", date(2025, 7, 1), None, "Trường Mầm non Na Son mới")]
        ),
        filename="rename.csv",
    )
    job = Job(
        kind="certificates.print_unit",
        user_id=users["trainer_in"].id,
        params={},
        status="done",
        result={"file": "certificates.pdf"},
    )
    db.session.add(job)
    db.session.commit()
    (files_dir(app.instance_path, job.id) / "certificates.pdf").write_bytes(b"%PDF-1.7")
    token_id = db.session.scalar(select(ApiToken.id).order_by(ApiToken.id))
    with app.test_request_context():
        feed = feed_url_for(users["teacher"]).replace(app.config["PUBLIC_BASE_URL"], "")
    return {
        "users": users,
        "values": {
            "session": session.id,
            "open_session": open_session.id,
            "request": request.id,
            "cert": cert.number,
            "code": cert.verification_code,
            "teacher": teacher.staff_code,
            "feed": feed,
            "job": job.id,
            "reorganisation": reorganisation.id,
            "user": users["manager_out"].id,
            "token": token_id,
        },
    }


def fill(template, values):
    if isinstance(template, str):
        return template.format(**values)
    if isinstance(template, dict):
        return {key: fill(value, values) for key, value in template.items()}
    return template


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_answers_each_role_as_specified(app, client, db, world, endpoint, role):
    method, url, allowed, body = MATRIX[endpoint]
    url, body = fill(url, world["values"]), fill(body, world["values"])
    api = url.startswith("/api/")
    headers = {}
    if role != "anonymous":
        user = world["users"][role]
        if api:
            headers["Authorization"] = f"Bearer {issue_token(user)}"
            db.session.commit()
        else:
            identifier = user.email or user.staff.staff_code
            assert (
                client.post(
                    "/login", data={"identifier": identifier, "password": factories.PASSWORD}
                ).status_code
                == 302
            )
    kwargs = {"json": body} if api and body is not None else {"data": body or {}}
    response = client.open(url, method=method, headers=headers, **kwargs)
    status, location = response.status_code, response.headers.get("Location", "")
    if role in allowed:
        to_login = "/login" in location and endpoint not in LOGIN_IS_THE_ANSWER
        assert status not in (401, 403, 404, 405) and not to_login, (
            endpoint,
            role,
            status,
            location,
        )
        assert status < 500
    elif role == "anonymous":
        assert (
            status == 401
            if api or endpoint in SCRIPT_JSON
            else (status == 302 and "/login" in location)
        ), (endpoint, status, location)
    else:
        assert status == 404, (endpoint, role, status)


# The main menu: which links each role sees. Every link shown must also open for that role.
NAV = {
    "/sessions": SIGNED_IN,
    "/checkin": {"teacher"},
    "/my/certificates": {"teacher"},
    "/certificates/bulk": {"admin", "trainer_in", "trainer_out"},
    "/org": ALL_UNIT_ROLES,
    "/staff": ALL_UNIT_ROLES,
    "/coverage": {"admin", "manager_in", "manager_out"},
    "/accounts/bulk": {"admin", "manager_in", "manager_out"},
    "/imports": {"admin"},
    "/admin/modules": {"admin"},
    "/admin/users": {"admin"},
    "/admin/audit": {"admin"},
}


def menu_links(html):
    import re

    menu = re.search(r'<nav class="mainnav".*?</nav>', html, re.S).group(0)
    links = re.findall(r'<a [^>]*href="([^"]+)"', menu)  # not the icons' <use href>
    return {href.split("?")[0] for href in links} - {"/home"}


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_navigation_shows_each_role_its_links(client, world, role):
    user = world["users"][role]
    identifier = user.email or user.staff.staff_code
    assert (
        client.post(
            "/login", data={"identifier": identifier, "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    links = menu_links(client.get("/home").get_data(as_text=True))
    expected = {link for link, roles in NAV.items() if role in roles}
    assert links == expected, (role, sorted(links ^ expected))
    for link in links:  # the menu offers nothing the route would refuse
        assert client.get(link).status_code not in (401, 403, 404), (role, link)
