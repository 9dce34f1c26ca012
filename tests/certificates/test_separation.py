"""Separation of duties: nobody records results for, or issues a certificate to, themself
(admins included), unless an administrator's setting allows it."""

from datetime import date

import pytest
from sqlalchemy import func, select

from trainer.accounts.services import issue_token
from trainer.certificates import services
from trainer.certificates.models import Certificate
from trainer.curriculum import services as curriculum
from trainer.curriculum.errors import SelfDealing
from trainer.curriculum.models import Result

from .. import factories
from .conftest import BASIC


@pytest.fixture
def trainer(db, tree, pass_modules):
    """An IT teacher who has passed every basic module, with an account and a token."""
    staff = factories.make_staff(tree["DB-A-S1"], "Lò Văn Giảng", "it_teacher", staff_code="GV1")
    user = factories.make_user("trainer", tree["DB-A"], staff=staff, email="gv@example.vn")
    db.session.commit()
    pass_modules(staff, *BASIC)
    return user


def count(db, model, **where):
    db.session.rollback()
    stmt = select(func.count()).select_from(model)
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    return db.session.scalar(stmt)


def test_api_refuses_own_result_and_own_certificate(client, db, trainer, levels):
    token = issue_token(trainer)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    results_before = count(db, Result, staff_id=trainer.staff_id)
    own = client.post(
        "/api/v1/results",
        headers=headers,
        json={"staff_code": "GV1", "module": "IU07", "score": 90, "assessed_on": "2026-01-05"},
    )
    assert own.status_code == 403 and own.get_json()["error"] == "own_result"
    assert own.get_json()["message"]  # a sentence beside the code
    assert count(db, Result, staff_id=trainer.staff_id) == results_before
    cert = client.post(
        "/api/v1/certificates", headers=headers, json={"staff_code": "GV1", "level": "basic"}
    )
    assert cert.status_code == 403 and cert.get_json()["error"] == "own_certificate"
    assert count(db, Certificate) == 0


def test_page_refuses_own_certificate_with_a_message(client, db, trainer, levels):
    client.post("/login", data={"identifier": "gv@example.vn", "password": factories.PASSWORD})
    response = client.post(
        "/staff/GV1/certificates",
        data={"level": "basic"},
        headers={"Referer": "http://localhost/staff/GV1"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/staff/GV1"
    page = client.get("/staff/GV1").get_data(as_text=True)
    assert "tự cấp chứng chỉ" in page
    assert count(db, Certificate) == 0


def test_an_admin_with_a_staff_record_is_no_exception(db, tree, levels, trainer):
    admin = trainer  # the same person made an administrator: the rule still holds
    admin.role = "admin"
    db.session.commit()
    with pytest.raises(SelfDealing):
        services.issue_certificate(trainer.staff, levels["basic"], issued_by=admin)
    with pytest.raises(SelfDealing):
        curriculum.record_result(
            trainer.staff,
            curriculum.module_by_code("IU07"),
            70,
            date(2026, 1, 5),
            recorded_by=admin,
        )


def test_bulk_issuing_leaves_the_issuer_out(db, tree, levels, trainer, person, pass_modules):
    pass_modules(person, *BASIC)
    certs = services.issue_bulk(tree["DB-A"], levels["basic"], issued_by=trainer)
    assert [c.staff_id for c in certs] == [person.id]


def test_an_admin_setting_allows_it(db, tree, levels, trainer):
    allowed = services.IssueSettings(allow_self_certification=True)
    cert = services.issue_certificate(
        trainer.staff, levels["basic"], issued_by=trainer, settings=allowed
    )
    assert cert.staff_id == trainer.staff_id
    curriculum.record_result(
        trainer.staff,
        curriculum.module_by_code("IU07"),
        70,
        date(2026, 1, 5),
        recorded_by=trainer,
        allow_self=True,
    )


def test_the_setting_is_off_by_default(app):
    assert app.config["ALLOW_SELF_CERTIFICATION"] is False
    assert services.IssueSettings.from_config(app.config).allow_self_certification is False
