"""Vietnam's date: at 23:30 UTC it is already 06:30 the next day in Vietnam, and every date
that defaults to "today" (issuing, results, coverage) is that next day."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from trainer import timeutil
from trainer.certificates import services
from trainer.curriculum.models import Result
from trainer.training import services as training

from .. import factories
from .conftest import BASIC

EVENING = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)  # 06:30 on 15 March in Vietnam
VIETNAM_DAY = date(2026, 3, 15)


@pytest.fixture
def clock(monkeypatch):
    """``clock(moment)`` freezes the app's clock; it starts at 23:30 UTC on 14 March."""

    def freeze(moment):
        monkeypatch.setattr(timeutil, "utc_now", lambda: moment)

    freeze(EVENING)
    return freeze


def test_local_today_is_the_configured_zones_date(app, clock):
    assert timeutil.local_today() == VIETNAM_DAY  # outside an app too
    with app.app_context():
        assert timeutil.local_today() == VIETNAM_DAY
        assert timeutil.local_now().hour == 6
        app.config["TIMEZONE"] = "UTC"
        assert timeutil.local_today() == date(2026, 3, 14)


def test_certificates_are_dated_and_numbered_in_vietnam(
    db, tree, person, levels, pass_modules, clock
):
    pass_modules(person, *BASIC)
    cert = services.issue_certificate(person, levels["basic"])
    assert cert.issued_on == VIETNAM_DAY
    other = factories.make_staff(tree["DB-A-S2"], "Lò Thị Hương")
    pass_modules(other, *BASIC)
    clock(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))  # New Year's morning in Vietnam
    [bulk] = services.issue_bulk(tree["DB-A-S2"], levels["basic"])
    assert bulk.issued_on == date(2027, 1, 1) and bulk.number == "DB-2027-000001"
    revoked = services.revoke(cert, "Cấp nhầm")
    assert revoked.revoked_on == date(2027, 1, 1)


def test_results_default_to_vietnams_date(client, db, tree, person, modules, login_as, clock):
    login_as("trainer")
    client.post("/staff/A1/results", data={"module": "IU01", "score": "80"})
    assert db.session.scalar(select(Result.assessed_on)) == VIETNAM_DAY
    # a session at 06:00 in Vietnam (23:00 UTC the day before) is assessed on its local day
    it_teacher = factories.make_staff(tree["DB-A-S1"], "Lò Văn Giảng", "it_teacher")
    start = EVENING - timedelta(minutes=30)
    session = training.create_session(
        module=modules["IU02"],
        title="Máy tính",
        trainer=it_teacher,
        venue=tree["DB-A-S1"],
        location="",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=5,
    )
    training.enroll(session, [person])
    db.session.commit()
    client.post(f"/sessions/{session.id}/results", data={"score-A1": "90"})
    days = set(db.session.scalars(select(Result.assessed_on)))
    assert days == {VIETNAM_DAY}


def test_coverage_defaults_to_vietnams_date(
    client, db, person, levels, pass_modules, login_as, clock
):
    pass_modules(person, *BASIC)
    services.issue_certificate(person, levels["basic"])  # dated 15 March
    login_as("manager")
    token_user = factories.make_user("manager", person.org_unit.parent)
    from trainer.accounts.services import issue_token

    token = issue_token(token_user)
    db.session.commit()
    body = client.get(
        "/api/v1/coverage?org=DB-A", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert body["as_of"] == "2026-03-15" and body["certified"] >= 1
    page = client.get("/coverage?org=DB-A-S1").get_data(as_text=True)
    assert "15/03/2026" in page or "15 thg 3, 2026" in page, page[:3000]
