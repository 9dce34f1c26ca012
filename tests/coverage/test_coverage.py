"""Coverage edge cases, the projection, the dashboard pages, exports and the API."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from trainer.accounts.services import issue_token
from trainer.certificates.models import Certificate
from trainer.coverage.models import Target
from trainer.coverage.services import coverage, month_ends, percent_of, projection, unit_counts
from trainer.coverage.trend import trend
from trainer.curriculum.models import CertificateLevel

from .. import factories

TODAY = date(2026, 6, 15)


@pytest.fixture
def levels(db):
    return {lv.code: lv for lv in db.session.scalars(select(CertificateLevel))}


def certify(db, staff, level, issued=date(2025, 1, 1), **fields):
    cert = Certificate(
        number=f"C{staff.id}-{level.code}-{issued}",
        issuer_key="X",
        issuer="X",
        external=True,
        staff_id=staff.id,
        level_id=level.id,
        issued_on=issued,
        **fields,
    )
    db.session.add(cert)
    db.session.flush()
    return cert


def test_no_staff_gives_null_percent_and_gap(db, tree, levels):
    head, rows = coverage(tree["DB-B"], levels["basic"], TODAY)
    assert (head.staff_total, head.certified, head.percent, head.gap) == (0, 0, None, None)
    assert rows[0].percent is None


def test_own_target_and_inherited_target(db, tree, levels):
    db.session.add_all(
        [
            Target(org_unit_id=tree["DB"].id, level_id=levels["basic"].id, year=2026, percent=90),
            Target(
                org_unit_id=tree["DB-A-S1"].id, level_id=levels["basic"].id, year=2026, percent=70
            ),
            Target(org_unit_id=tree["DB-A"].id, level_id=levels["basic"].id, year=2025, percent=50),
        ]
    )
    factories.make_staff(tree["DB-A-S1"])
    _head, rows = coverage(tree["DB-A"], levels["basic"], TODAY)
    targets = {r.code: r.target_percent for r in rows}
    assert targets == {"DB-A-S1": 70.0, "DB-A-S2": 90.0}  # own, then the province's (2026)


def test_issued_or_expiring_on_the_day_itself(db, tree, levels):
    a = factories.make_staff(tree["DB-A-S1"], "Issued Today")
    b = factories.make_staff(tree["DB-A-S1"], "Expires Today")
    c = factories.make_staff(tree["DB-A-S1"], "Revoked Today")
    d = factories.make_staff(tree["DB-A-S1"], "Revoked Tomorrow")
    certify(db, a, levels["basic"], issued=TODAY)
    certify(db, b, levels["basic"], expires_on=TODAY)
    certify(db, c, levels["basic"], status="revoked", revoked_on=TODAY)
    certify(db, d, levels["basic"], status="revoked", revoked_on=TODAY + timedelta(days=1))
    head, _rows = coverage(tree["DB-A-S1"], levels["basic"], TODAY)
    assert (head.staff_total, head.certified) == (4, 2)  # issued today and revoked tomorrow
    before, _ = coverage(tree["DB-A-S1"], levels["basic"], TODAY - timedelta(days=1))
    assert before.certified == 3  # b, c, d on the day before


def test_advanced_implies_basic_and_inactive_staff_do_not_count(db, tree, levels):
    a = factories.make_staff(tree["DB-A-S1"], "Advanced Only")
    factories.make_staff(tree["DB-A-S1"], "Nothing")
    gone = factories.make_staff(tree["DB-A-S1"], "Gone", status="inactive")
    certify(db, a, levels["advanced"])
    certify(db, gone, levels["basic"])
    head, _ = coverage(tree["DB-A-S1"], levels["basic"], TODAY)
    assert (head.staff_total, head.certified, head.percent) == (2, 1, 50.0)
    advanced, _ = coverage(tree["DB-A-S1"], levels["advanced"], TODAY)
    assert advanced.certified == 1


def test_position_filter(db, tree, levels):
    it = factories.make_staff(tree["DB-A-S1"], "IT", "it_teacher")
    factories.make_staff(tree["DB-A-S1"], "Teacher", "teacher")
    certify(db, it, levels["basic"])
    head, _ = coverage(tree["DB-A"], levels["basic"], TODAY, position="it_teacher")
    assert (head.staff_total, head.certified) == (1, 1)


def test_rounding_half_up():
    assert percent_of(1, 8) == 12.5 and percent_of(1, 3) == 33.3 and percent_of(2, 3) == 66.7
    assert percent_of(1, 16) == 6.3  # 6.25 rounds up, not to even
    assert percent_of(0, 0) is None


def test_month_ends():
    assert month_ends(date(2026, 3, 15), 4) == [
        date(2025, 12, 31),
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 15),
    ]


def points(values):
    return [(date(2026, 1, 1) + timedelta(days=31 * i), v) for i, v in enumerate(values)]


@pytest.mark.parametrize(
    "values, target, expected",
    [
        ([70, 72, 74, 76, 78, 80, 82], 90, ("on_track", 4)),  # +2/month, 8 to go
        ([80, 80, 80, 80, 80, 80, 80], 90, ("never", None)),  # flat
        ([84, 83, 82, 81, 80, 79, 78], 90, ("never", None)),  # falling
        ([88, 89, 90, 91], 90, ("reached", None)),
        ([70, 75], 90, ("never", None)),  # too little history
        ([70, 71, 72, 73, 74, 75, 76], None, ("no_target", None)),
        ([50, 50.5, 51, 51.5, 52, 52.5, 53], 53.1, ("on_track", 1)),
    ],
)
def test_projection(values, target, expected):
    assert projection(points(values), target) == expected


def test_trend_follows_issue_dates(db, tree, levels):
    people = [factories.make_staff(tree["DB-A-S1"], f"P{i}") for i in range(4)]
    certify(db, people[0], levels["basic"], issued=date(2025, 12, 10))
    certify(db, people[1], levels["basic"], issued=date(2026, 2, 1))
    certify(db, people[2], levels["basic"], issued=date(2026, 2, 1), expires_on=date(2026, 4, 1))
    result = dict(trend(tree["DB-A"], levels["basic"], date(2026, 5, 20), months=6))
    assert result == {
        date(2025, 12, 31): 25.0,
        date(2026, 1, 31): 25.0,
        date(2026, 2, 28): 75.0,
        date(2026, 3, 31): 75.0,
        date(2026, 4, 30): 50.0,
        date(2026, 5, 20): 50.0,
    }


@pytest.fixture
def district(db, tree, levels):
    people = [
        factories.make_staff(tree["DB-A-S1"], "=cmd|' /C calc'!A0", staff_code="X1"),
        factories.make_staff(tree["DB-A-S2"], "Lò Thị Hương", staff_code="X2"),
        factories.make_staff(tree["DB-B-S1"], "Giàng A Sử", staff_code="X3"),
    ]
    certify(db, people[1], levels["basic"])
    db.session.commit()
    return people


def test_dashboard_drill_down_and_scope(client, login_as, district):
    login_as("manager")  # DB-A
    page = client.get("/coverage").get_data(as_text=True)
    assert "Huyện Mường Chà" in page and "Trường THCS Sá Tổng" in page
    assert "33,3 %" in page and "<svg" in page  # X1, X2 (certified) and the head
    school = client.get("/coverage?org=DB-A-S2").get_data(as_text=True)
    assert "100,0 %" in school
    assert client.get("/coverage?org=DB-B").status_code == 404
    assert client.get("/coverage?org=DB").status_code == 404


def test_teachers_and_trainers_have_no_dashboard(client, login_as, district):
    login_as("trainer")
    assert client.get("/coverage").status_code == 404


def test_exports_are_neutralised_and_scoped(client, login_as, district):
    login_as("admin")
    xlsx = client.get("/coverage/export.xlsx?org=DB")
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("DB", "Tỉnh Điện Biên", 3, 1)
    todo = client.get("/coverage/uncertified.csv?org=DB-A").data.decode("utf-8-sig")
    assert "'=cmd" in todo and "Giàng A Sử" not in todo and "Lò Thị Hương" not in todo
    page = client.get("/coverage/uncertified?org=DB-A").get_data(as_text=True)
    assert "IU01, IU02" in page
    report = client.get("/coverage/report.pdf?org=DB")
    assert report.mimetype == "application/pdf" and report.data.startswith(b"%PDF")
    activity = client.get("/coverage/activity.xlsx?org=DB")
    assert activity.status_code == 200


def test_targets_by_role(client, login_as, db, tree, levels, district):
    login_as("manager")  # DB-A
    own = client.post(
        "/coverage/targets", data={"org": "DB-A", "level": "basic", "year": "2026", "percent": "80"}
    )
    assert "chỉ đặt được chỉ tiêu cho các đơn vị dưới" in own.get_data(as_text=True)
    ok = client.post(
        "/coverage/targets",
        data={"org": "DB-A-S1", "level": "basic", "year": "2026", "percent": "82.5"},
    )
    assert ok.status_code == 302
    assert float(db.session.scalar(select(Target.percent))) == 82.5
    other = client.post(
        "/coverage/targets",
        data={"org": "DB-B-S1", "level": "basic", "year": "2026", "percent": "80"},
    )
    assert (
        other.status_code == 200
        and db.session.scalar(select(Target).where(Target.org_unit_id == tree["DB-B-S1"].id))
        is None
    )


def test_api_coverage(client, db, tree, levels, district):
    token = issue_token(factories.make_user("manager", tree["DB-A"]))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get("/api/v1/coverage", headers=headers).get_json()
    assert body["org"] == "DB-A" and body["level"] == "basic"
    assert (body["staff_total"], body["certified"], body["percent"]) == (3, 1, 33.3)
    assert body["target_percent"] is None and body["gap"] is None
    assert {c["org"] for c in body["children"]} == {"DB-A-S1", "DB-A-S2"}
    child = next(c for c in body["children"] if c["org"] == "DB-A-S2")
    assert set(child) >= {"org", "staff_total", "certified", "percent", "target_percent", "gap"}
    assert client.get("/api/v1/coverage?org=DB-B", headers=headers).status_code == 404
    assert client.get("/api/v1/coverage?level=nope", headers=headers).status_code == 400
    assert client.get("/api/v1/coverage?as_of=31/12/2026", headers=headers).status_code == 400
    past = client.get("/api/v1/coverage?as_of=2024-12-31", headers=headers).get_json()
    assert past["certified"] == 0 and past["as_of"] == "2024-12-31"


def test_coverage_csv_opens_in_a_vietnamese_excel_and_plain_for_tools(client, login_as, district):
    import csv

    login_as("admin")
    data = client.get("/coverage/export.csv?org=DB-A").data
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["DB-A"] == ["DB-A", "Huyện Mường Chà", "2", "1", "50,0", "", ""]
    assert by_code["DB-A-S2"] == ["DB-A-S2", "Trường THCS Sá Tổng", "1", "1", "100,0", "", ""]
    plain = client.get("/coverage/export.csv?org=DB-A&format=csv-plain").data
    plain_rows = list(csv.reader(io.StringIO(plain.decode("utf-8-sig"))))
    assert plain_rows[1] == ["DB-A", "Huyện Mường Chà", "2", "1", "50.0", "", ""]


def test_vietnamese_csv_values_use_a_decimal_comma():
    from trainer.exports import vietnamese_value

    assert [vietnamese_value(v) for v in (33.3, 100.0, -2.5, 0.0, 7, None)] == [
        "33,3",
        "100,0",
        "-2,5",
        "0,0",
        7,
        "",
    ]


def test_whole_tree_and_subtree_counts_agree_and_count_a_person_once(db, tree, levels):
    both = factories.make_staff(tree["DB-A-S1"], "Basic And Advanced")
    factories.make_staff(tree["DB-A-S1"], "Nothing")
    certify(db, both, levels["basic"])
    certify(db, both, levels["advanced"])
    whole = unit_counts(None, levels["basic"], TODAY)  # the one-pass form (the cache's)
    subtree = unit_counts(tree["DB-A"], levels["basic"], TODAY)  # the semi-join form
    assert whole[tree["DB-A-S1"].id] == subtree[tree["DB-A-S1"].id] == [2, 1]
    head, _ = coverage(tree["DB"], levels["basic"], TODAY)
    assert (head.staff_total, head.certified) == (2, 1)


def test_whole_tree_counts_restore_the_planner_settings(db, tree, levels):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner settings")
    names = ["enable_hashjoin", "jit", "max_parallel_workers_per_gather", "plan_cache_mode"]

    def settings():
        return [db.session.scalar(select(func.current_setting(n))) for n in names]

    before = settings()
    unit_counts(None, levels["basic"], TODAY)
    assert settings() == before
