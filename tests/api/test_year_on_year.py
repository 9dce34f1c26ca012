"""Year on year in GET /api/v1/coverage/breakdown?compare=date|today (issue 19, item 2)."""

from datetime import date

from sqlalchemy import select

from trainer.certificates.models import Certificate
from trainer.coverage.breakdown import coverage_breakdown
from trainer.coverage.services import coverage_by_structure_of
from trainer.coverage.yearly import breakdown_by_structure_of
from trainer.curriculum.models import CertificateLevel
from trainer.org.models import OrgUnit

from .. import factories
from .test_time import close_district


def certify(db, person, level="basic", issued_on=date(2025, 1, 10)):
    found = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == level))
    db.session.add(
        Certificate(
            number=f"Y{person.id}-{level}",
            issuer_key="X",
            issuer="X",
            external=True,
            staff_id=person.id,
            level_id=found.id,
            issued_on=issued_on,
            status="valid",
        )
    )


def people(db, tree):
    """Two staff at DB-A-S1 (one certified early 2025), one at DB-B-S1 (certified early 2025),
    one at DB-B-S1 certified in 2026; then DB-B closes into DB-A on 01/07/2025."""
    a1 = factories.make_staff(tree["DB-A-S1"], "Lò Thị Mai", gender="female")
    factories.make_staff(tree["DB-A-S1"], "Lò Văn Sơn", gender="male")
    b1 = factories.make_staff(tree["DB-B-S1"], "Vừ A Dính", gender="male")
    b2 = factories.make_staff(tree["DB-B-S1"], "Quàng Thị Hoa", gender="female")
    certify(db, a1)
    certify(db, b1)
    certify(db, b2, issued_on=date(2026, 3, 1))
    db.session.commit()
    close_district(db, tree)


def test_compare_by_the_structure_of_that_date(api, db, tree):
    people(db, tree)
    call = api("admin", "DB")
    body = call(
        "GET", "/api/v1/coverage/breakdown?org=DB&as_of=2026-06-30&by=child&compare=date"
    ).get_json()
    assert body["compare"] == "date" and body["last_year_as_of"] == "2025-06-30"
    assert body["rows"] == [
        {
            "child": "DB-A",
            "staff_total": 4,
            "certified": 3,
            "percent": 75.0,
            "last_year_staff_total": 2,
            "last_year_certified": 1,
            "last_year_percent": 50.0,
            "change": 25.0,
        },
        {
            "child": "DB-B",
            "staff_total": 0,
            "certified": 0,
            "percent": None,
            "last_year_staff_total": 2,
            "last_year_certified": 1,
            "last_year_percent": 50.0,
            "change": None,
        },
    ]


def test_compare_by_the_structure_of_the_chosen_date(api, db, tree):
    people(db, tree)
    call = api("admin", "DB")
    rows = call(
        "GET", "/api/v1/coverage/breakdown?org=DB&as_of=2026-06-30&by=child,gender&compare=today"
    ).get_json()["rows"]
    # last year's DB-B-S1 staff are counted where DB-B-S1 stands now: under DB-A
    assert [
        (r["child"], r["gender"], r["last_year_staff_total"], r["last_year_certified"])
        for r in rows
    ] == [("DB-A", "female", 2, 1), ("DB-A", "male", 2, 1)]
    assert [r["change"] for r in rows] == [50.0, 0.0]


def test_bad_compare_is_a_400_and_without_it_the_answer_is_unchanged(api, db, tree):
    people(db, tree)
    call = api("admin", "DB")
    bad = call("GET", "/api/v1/coverage/breakdown?org=DB&by=child&compare=yesterday")
    assert bad.status_code == 400 and bad.get_json()["error"] == "unknown_value"
    plain = call("GET", "/api/v1/coverage/breakdown?org=DB&as_of=2026-06-30&by=child").get_json()
    assert "compare" not in plain and "change" not in plain["rows"][0]


def test_the_structure_of_today_agrees_with_the_dashboards_toggle(db, tree):
    """Counted by child, last year by today's structure equals the dashboard's comparison
    (coverage_by_structure_of), and by that date's structure equals the plain breakdown."""
    people(db, tree)
    root = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB"))
    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    then, now = date(2025, 6, 30), date(2026, 6, 30)
    mine = breakdown_by_structure_of(root, basic, then, now, ["child"])
    _head, theirs = coverage_by_structure_of(root, basic, then, now)
    assert {r["child"]: (r["staff_total"], r["certified"]) for r in mine} == {
        r.code: (r.staff_total, r.certified) for r in theirs if r.staff_total
    }
    assert breakdown_by_structure_of(root, basic, then, then, ["gender"]) == coverage_breakdown(
        root, basic, then, ["gender"]
    )
