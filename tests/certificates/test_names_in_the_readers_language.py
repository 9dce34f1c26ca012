"""Issue 20 leftover 2: module and level names in the reader's language where the page or
document is for that reader (admin choices, a session's calendar event, the Open Badges
description, the coverage report), Vietnamese where the document is the printed
certificate's (the credential's name and criteria, ``inLanguage: vi``)."""

from datetime import UTC, datetime

from flask_babel import force_locale
from sqlalchemy import select

from trainer.certificates import services
from trainer.certificates.openbadge import credential
from trainer.coverage import report
from trainer.curriculum.models import CertificateLevel, Module
from trainer.training.calendar import calendar_of

from .conftest import BASIC


def names(db, model, code):
    row = db.session.scalar(select(model).where(model.code == code))
    assert row.name_en != row.name_vi
    return row


def test_admin_module_and_level_choices_follow_the_language(client, db, login_as, tree):
    login_as("admin")
    module, level = names(db, Module, "IU01"), names(db, CertificateLevel, "basic")
    for path in ("/admin/levels", "/admin/designs/new"):
        english = client.get(f"{path}?lang=en").get_data(as_text=True)
        assert level.name_en in english and level.name_vi not in english, path
        vietnamese = client.get(f"{path}?lang=vi").get_data(as_text=True)
        assert level.name_vi in vietnamese, path
    english = client.get("/admin/levels?lang=en").get_data(as_text=True)
    assert f"IU01 · {module.name_en}" in english and f"IU01 · {module.name_vi}" not in english


def test_a_calendar_event_describes_the_module_in_the_readers_language(app, db, tree):
    module = names(db, Module, "IU01")

    class Someone:
        full_name = "Lò Văn Thắng"

    class Place:
        name = "Trường THCS A"

    class Session:
        id, title, location, status = 1, "Buổi 1", "", "planned"
        starts_at = datetime(2026, 12, 1, 1, tzinfo=UTC)
        ends_at = datetime(2026, 12, 1, 3, tzinfo=UTC)
        trainer, org_unit = Someone(), Place()

    Session.module = module
    for lang, name, other in (("en", module.name_en, module.name_vi), ("vi", module.name_vi, None)):
        with app.test_request_context("/"), force_locale(lang):
            body = calendar_of([Session()], name="x", base_url="https://t.example").decode()
        unfolded = body.replace("\r\n ", "")
        description = next(line for line in unfolded.splitlines() if line.startswith("DESCRIPTION"))
        assert name in description, lang
        if other:
            assert other not in description


def test_the_open_badges_description_is_for_its_reader(app, db, person, levels, pass_modules):
    pass_modules(person, *BASIC)
    cert = services.issue_certificate(person, levels["basic"])
    db.session.commit()
    level = levels["basic"]
    with app.test_request_context("/"), force_locale("en"):
        english = credential(cert, base_url="https://t.example", issuer_id="did:key:z")
    with app.test_request_context("/"), force_locale("vi"):
        vietnamese = credential(cert, base_url="https://t.example", issuer_id="did:key:z")
    achievement = english["credentialSubject"]["achievement"]
    assert achievement["description"] == f"{level.name_en} ({level.name_vi})"
    assert achievement["name"] == level.name_vi and achievement["inLanguage"] == "vi"
    described = vietnamese["credentialSubject"]["achievement"]["description"]
    assert described == f"{level.name_vi} ({level.name_en})"


def test_the_coverage_report_names_the_level_in_the_readers_language(
    client, db, login_as, tree, monkeypatch
):
    seen = {}
    monkeypatch.setattr(report, "render_template_pdf", lambda *a, **kw: seen.update(kw) or b"%PDF")
    level = names(db, CertificateLevel, "basic")
    login_as("admin")
    assert client.get("/coverage/report.pdf?org=DB&lang=en").status_code == 200
    assert level.name_en in seen["headline"] and level.name_vi not in seen["headline"]
    assert client.get("/coverage/report.pdf?org=DB&lang=vi").status_code == 200
    assert level.name_vi in seen["headline"]
