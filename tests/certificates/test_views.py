"""Certificate pages, verification, downloads, corrections, printing, results and admin."""

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from trainer.audit import AuditEntry
from trainer.certificates import services
from trainer.certificates.models import Certificate
from trainer.curriculum.models import Module, Result

from .. import factories
from .conftest import BASIC


@pytest.fixture
def trainer_login(client, db, tree):
    staff = factories.make_staff(tree["DB-A-S1"], "Lò Văn Giảng", "it_teacher")
    factories.make_user("trainer", tree["DB-A"], staff=staff, email="gv@example.vn")
    db.session.commit()
    client.post("/login", data={"identifier": "gv@example.vn", "password": factories.PASSWORD})


def test_issue_from_profile_then_download(client, db, person, levels, pass_modules, trainer_login):
    pass_modules(person, *BASIC[:5])
    refused = client.post(
        "/staff/A1/certificates", data={"level": "basic"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Chưa đủ điều kiện. Còn thiếu các mô-đun: IU06" in refused
    pass_modules(person, "IU06")
    profile = client.get("/staff/A1").get_data(as_text=True)
    assert "đủ điều kiện cấp chứng chỉ" in profile and 'aria-valuenow="100"' in profile
    response = client.post("/staff/A1/certificates", data={"level": "basic"})
    number = response.headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/certificates/{number}").status_code == 200
    pdf = client.get(f"/certificates/{number}.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    again = client.post("/staff/A1/certificates", data={"level": "basic"}, follow_redirects=True)
    assert "đã có chứng chỉ còn hiệu lực" in again.get_data(as_text=True)


def test_verify_states(client, db, person, levels, pass_modules):
    pass_modules(person, *BASIC)
    cert = services.issue_certificate(person, levels["basic"])
    db.session.commit()
    page = client.get(f"/verify/{cert.verification_code}").get_data(as_text=True)
    assert "Chứng chỉ này còn hiệu lực." in page and "Nguyễn Tiến Thắng" in page
    # nothing personal beyond name, level, number, dates, issuer (tokens may hold "A1" by chance)
    assert not re.search(r"\bA1\b", re.sub(r'"[A-Za-z0-9_.+/=-]{20,}"', '""', page))
    body = client.get(f"/api/v1/verify/{cert.verification_code}").get_json()
    assert body["status"] == "valid" and body["name"] == "Nguyễn Tiến Thắng"
    assert set(body) >= {"status", "name", "level", "number", "issued_on", "issuer"}
    new = services.reissue(cert)
    db.session.commit()
    superseded = client.get(f"/api/v1/verify/{cert.verification_code}").get_json()
    assert superseded["status"] == "superseded" and superseded["superseded_by"] == new.number
    services.revoke(new, "Cấp nhầm người")
    db.session.commit()
    revoked = client.get(f"/verify/{new.verification_code}").get_data(as_text=True)
    assert "đã bị thu hồi" in revoked and "Cấp nhầm người" in revoked
    assert client.get("/verify/unknown-code-1234").status_code == 404
    assert client.get("/api/v1/verify/unknown-code-1234").status_code == 404


def test_expired_external_state(client, db, person, levels):
    cert = Certificate(
        number="X-9",
        issuer_key="TT",
        issuer="TT",
        external=True,
        verification_code="externalcode1234",
        staff_id=person.id,
        level_id=levels["basic"].id,
        issued_on=date(2018, 1, 1),
        expires_on=date.today() - timedelta(days=1),
    )
    db.session.add(cert)
    db.session.commit()
    assert client.get("/api/v1/verify/externalcode1234").get_json()["status"] == "expired"


def test_verification_is_rate_limited(app, client, db, person, levels, pass_modules):
    pass_modules(person, *BASIC)
    cert = services.issue_certificate(person, levels["basic"])
    db.session.commit()
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    codes = [client.get(f"/verify/{cert.verification_code}").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    api = client.get(f"/api/v1/verify/{cert.verification_code}")
    assert api.status_code == 429 and api.is_json


def test_teacher_reaches_only_own_pdfs(client, db, tree, person, levels, pass_modules):
    other = factories.make_staff(tree["DB-A-S1"], "Lò Thị Hương", staff_code="A2")
    for p in (person, other):
        pass_modules(p, *BASIC)
    mine = services.issue_certificate(person, levels["basic"])
    theirs = services.issue_certificate(other, levels["basic"])
    factories.make_user("teacher", tree["DB-A-S1"], staff=person)
    db.session.commit()
    client.post("/login", data={"identifier": "A1", "password": factories.PASSWORD})
    assert client.get(f"/certificates/{mine.number}.pdf").status_code == 200
    assert client.get(f"/certificates/{theirs.number}.pdf").status_code == 404
    assert client.get(f"/certificates/{theirs.number}").status_code == 404
    page = client.get("/my/certificates").get_data(as_text=True)
    assert mine.number in page and theirs.number not in page
    assert (
        client.post(f"/certificates/{mine.number}/revoke", data={"reason": "x"}).status_code == 404
    )


def test_revoke_and_reissue_from_the_page(client, db, person, levels, pass_modules, trainer_login):
    pass_modules(person, *BASIC)
    cert = services.issue_certificate(person, levels["basic"])
    db.session.commit()
    refused = client.post(
        f"/certificates/{cert.number}/revoke", data={"reason": " "}, follow_redirects=True
    )
    assert "Cần ghi lý do" in refused.get_data(as_text=True)
    person.rename("Nguyễn Tiến Thành")
    db.session.commit()
    response = client.post(f"/certificates/{cert.number}/reissue")
    new_number = response.headers["Location"].rsplit("/", 1)[1]
    db.session.expire_all()
    new = db.session.scalar(select(Certificate).where(Certificate.number == new_number))
    assert new.printed_name == "Nguyễn Tiến Thành"
    client.post(f"/certificates/{new_number}/revoke", data={"reason": "Sai đơn vị"})
    db.session.expire_all()
    assert db.session.get(Certificate, new.id).status == "revoked"
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"certificate.reissue", "certificate.revoke"} <= actions


def test_bulk_preview_issue_and_print(client, db, tree, levels, pass_modules, trainer_login):
    people = [factories.make_staff(tree["DB-A-S2"], f"Người Số {i}") for i in range(3)]
    for p in people[:2]:
        pass_modules(p, *BASIC)
    preview = client.get("/certificates/bulk?org=DB-A-S2&level=basic").get_data(as_text=True)
    assert "Người Số 0" in preview and "Người Số 2" not in preview
    assert 'data-busy="Đang bắt đầu' in preview  # feedback while the job is started
    assert 'data-confirm="Cấp chứng chỉ cho mọi người' in preview  # asked first
    assert 'src="/static/js/busy.js?v=' in preview
    started = client.post("/certificates/bulk", data={"org": "DB-A-S2", "level": "basic"})
    assert started.status_code == 302 and "/jobs/" in started.location  # a job, followed
    outcome = client.get(started.location).get_data(as_text=True)
    certs = db.session.scalars(select(Certificate).order_by(Certificate.number)).all()
    assert len(certs) == 2
    assert "Đã cấp 2 chứng chỉ." in outcome and certs[0].number in outcome  # issued, listed

    def job_file(url):
        started = client.post(url, data={"org": "DB-A-S2", "level": "basic"})
        assert started.status_code == 302 and "/jobs/" in started.location
        page = client.get(started.location).get_data(as_text=True)
        assert started.location + "/file" in page  # the outcome links its file
        return client.get(started.location + "/file").data

    merged = job_file("/certificates/print.pdf")
    assert len(PdfReader(io.BytesIO(merged)).pages) == 2
    zipped = job_file("/certificates/print.zip")
    archive = zipfile.ZipFile(io.BytesIO(zipped))
    assert len(archive.namelist()) == 2
    assert client.get("/certificates/bulk?org=DB-B&level=basic").status_code == 404


def test_session_results_form_all_or_nothing(client, db, tree, trainer_login):
    from trainer.training import services as training

    trainer = db.session.scalar(
        select(factories.Staff).where(factories.Staff.full_name == "Lò Văn Giảng")
    )
    people = [
        factories.make_staff(tree["DB-A-S1"], f"Học Viên {i}", staff_code=f"H{i}") for i in range(2)
    ]
    module = db.session.scalar(select(Module).where(Module.code == "IU02"))
    from datetime import UTC, datetime

    start = datetime.now(UTC) - timedelta(days=1)
    session = training.create_session(
        module=module,
        title="Máy tính",
        trainer=trainer,
        venue=tree["DB-A-S1"],
        location="",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=5,
    )
    training.enroll(session, people)
    db.session.commit()
    bad = client.post(f"/sessions/{session.id}/results", data={"score-H0": "85", "score-H1": "120"})
    assert "Nhập điểm từ 0 đến 100." in bad.get_data(as_text=True)
    assert 'value="120"' in bad.get_data(as_text=True)
    assert db.session.scalar(select(Result.id)) is None
    client.post(f"/sessions/{session.id}/results", data={"score-H0": "85", "score-H1": "7,5"})
    scores = sorted(float(s) for s in db.session.scalars(select(Result.score)))
    assert scores == [7.5, 85.0]


def test_admin_edits_pass_scores_and_adds_a_level(client, db, login_as):
    login_as("admin")
    form = {f"pass-{m.code}": m.pass_score for m in db.session.scalars(select(Module))}
    form["pass-IU01"] = "60"
    client.post("/admin/modules", data=form)
    db.session.expire_all()
    assert db.session.scalar(select(Module.pass_score).where(Module.code == "IU01")) == 60
    bad = client.post("/admin/modules", data=form | {"pass-IU02": "150"})
    assert "Một số nguyên từ 0 đến 100." in bad.get_data(as_text=True)
    client.post(
        "/admin/levels",
        data={
            "code": "digital",
            "name_vi": "Công dân số",
            "name_en": "Digital citizen",
            "rank": "3",
            "required": ["DS01"],
            "electives": ["DS02", "DS03"],
            "min_electives": "1",
            "prerequisite": "basic",
        },
    )
    page = client.get("/admin/levels").get_data(as_text=True)
    assert "Công dân số" in page and "DS01" in page
    clash = client.post(
        "/admin/levels",
        data={
            "code": "digital",
            "name_vi": "x",
            "name_en": "x",
            "rank": "4",
            "required": ["DS01"],
            "min_electives": "0",
            "prerequisite": "",
        },
    )
    assert "Đã có cấp độ với mã này." in clash.get_data(as_text=True)


def test_admin_pages_are_admin_only(client, login_as):
    login_as("manager")
    assert client.get("/admin/modules").status_code == 404
    assert client.get("/certificates/bulk").status_code == 404


def test_cli_issue_bulk(runner, db, tree, levels, pass_modules, app):
    person = factories.make_staff(tree["DB-A-S2"], "Người Được Cấp")
    pass_modules(person, *BASIC)
    result = runner.invoke(args=["certificates", "issue-bulk", "--org", "DB-A", "--level", "basic"])
    assert result.exit_code == 0, result.output
    assert re.search(r"issued 1 certificates: DB-\d{4}-000001", result.output)
    from trainer.certificates.storage import store_for

    number = db.session.scalar(select(Certificate.number))
    assert store_for(app).get(number).startswith(b"%PDF")
    bad = runner.invoke(args=["certificates", "issue-bulk", "--org", "NOPE", "--level", "basic"])
    assert bad.exit_code == 1


def test_issuing_profile_is_printed(client, login_as, db, tree, person, levels, pass_modules):
    login_as("admin")
    client.post(
        "/admin/issuing",
        data={
            "org": "DB-A",
            "issuer_name": "Phòng Giáo dục và Đào tạo huyện Mường Chà",
            "signatory_title": "Trưởng phòng",
            "signatory_name": "Lò Văn Thanh",
            "place_name": "Mường Chà",
        },
    )
    pass_modules(person, *BASIC)
    cert = services.issue_certificate(person, levels["basic"])
    assert (cert.issuer, cert.signatory_title, cert.signatory_name) == (
        "Phòng Giáo dục và Đào tạo huyện Mường Chà",
        "Trưởng phòng",
        "Lò Văn Thanh",
    )
    other = factories.make_staff(tree["DB-B-S1"], "Giàng A Sử")
    pass_modules(other, *BASIC)
    assert (
        services.issue_certificate(other, levels["basic"]).issuer
        == "Sở Giáo dục và Đào tạo tỉnh Điện Biên"
    )  # DB-B has no profile: the configuration's
    assert "Lò Văn Thanh" in client.get("/admin/issuing").get_data(as_text=True)


def test_a_first_download_reads_a_few_rows_and_writes_nothing(
    client, db, person, levels, pass_modules, login_as
):
    """Downloading a certificate again reads the signed-in user (and their staff record), the
    certificate with its holder and the holder's unit in one query, and the user's unit (the
    scope check): 4 queries. The first download reads what printing reads (level, modules and
    design version) in the certificate's query, and adds the holder's results: 5. Neither
    writes."""
    from ..test_query_counts import counting

    pass_modules(person, *BASIC)
    cert = services.issue_certificate(person, levels["basic"])
    db.session.commit()
    assert cert.design_version_id is not None
    path = f"/certificates/{cert.number}.pdf"
    login_as("manager")  # a subtree scope: the holder's unit is read
    counts = []
    for _ in range(2):
        db.session.expire_all()
        with counting(db) as statements:
            assert client.get(path).status_code == 200
        assert not [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
        counts.append(len(statements))
    assert counts == [5, 4]
