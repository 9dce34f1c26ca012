"""GET /api/v1/coverage/breakdown (SPEC §9)."""

from datetime import date

from sqlalchemy import select

from trainer.certificates.models import Certificate
from trainer.curriculum.models import CertificateLevel

from .. import factories
from .test_time import close_district


def certify(db, person):
    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    db.session.add(
        Certificate(
            number=f"N{person.id}",
            issuer_key="X",
            issuer="X",
            external=True,
            staff_id=person.id,
            level_id=basic.id,
            issued_on=date(2026, 1, 1),
            status="valid",
        )
    )


def test_breakdown_by_child_and_gender_as_a_cross_table(api, db, tree):
    tree["DB-A-S1"].school_level, tree["DB-A"].disadvantaged = "tieu_hoc", True
    women = [
        factories.make_staff(tree["DB-A-S1"], "Lò Thị Mai", gender="female", ethnicity="Thái")
        for _ in range(3)
    ]
    factories.make_staff(tree["DB-A-S2"], "Nguyễn Văn An", gender="male", ethnicity="Kinh")
    factories.make_staff(tree["DB-A"], "Vừ A Dính", gender=None)
    certify(db, women[0])
    db.session.commit()
    call = api("admin", "DB")
    body = call(
        "GET", "/api/v1/coverage/breakdown?org=DB-A&as_of=2026-06-30&by=child,gender"
    ).get_json()
    assert body["by"] == ["child", "gender"] and body["org"] == "DB-A"
    assert body["rows"] == [
        {"child": "DB-A", "gender": None, "staff_total": 1, "certified": 0, "percent": 0.0},
        {"child": "DB-A-S1", "gender": "female", "staff_total": 3, "certified": 1, "percent": 33.3},
        {"child": "DB-A-S2", "gender": "male", "staff_total": 1, "certified": 0, "percent": 0.0},
    ]
    rows = call(
        "GET", "/api/v1/coverage/breakdown?org=DB-A&as_of=2026-06-30&by=school_level,disadvantaged"
    ).get_json()["rows"]
    assert [(r["school_level"], r["disadvantaged"], r["staff_total"]) for r in rows] == [
        ("tieu_hoc", True, 3),
        (None, True, 2),
    ]
    rows = call(
        "GET", "/api/v1/coverage/breakdown?org=DB-A&as_of=2026-06-30&by=ethnic_minority"
    ).get_json()["rows"]
    assert [(r["ethnic_minority"], r["staff_total"]) for r in rows] == [
        (False, 1),
        (True, 3),
        (None, 1),
    ]


def test_bad_dimensions_are_a_json_400(api, tree):
    call = api("admin", "DB")
    for by in ("", "colour", "gender,gender", "gender,position,child"):
        answer = call("GET", f"/api/v1/coverage/breakdown?org=DB&by={by}")
        assert answer.status_code == 400, by
        assert answer.get_json()["error"] == "unknown_value"


def test_a_closed_unit_is_not_in_force(api, db, tree):
    close_district(db, tree)
    answer = api("admin", "DB")(
        "GET", "/api/v1/coverage/breakdown?org=DB-B&as_of=2025-07-01&by=gender"
    )
    assert answer.status_code == 404
    assert answer.get_json()["error"] == "not_in_force"


def test_the_grouped_query_sees_changes_not_yet_flushed(db, tree):
    # it runs on the driver's cursor, where the ORM's autoflush does not reach
    from trainer.coverage.breakdown import Dimension, counts_by_unit

    person = factories.make_staff(tree["DB-A-S1"], "Lò Thị Mai", gender="female")
    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    certify(db, person)  # added, not flushed
    rows = counts_by_unit(basic, date(2026, 6, 30), [Dimension.GENDER])
    assert [tuple(row) for row in rows if row[0] == tree["DB-A-S1"].id] == [
        (tree["DB-A-S1"].id, "female", 1, 1)
    ]
