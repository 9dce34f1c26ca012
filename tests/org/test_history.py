"""Units in force over time: the org-unit import's dates, its checks of the whole history."""

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from trainer.imports import importer_for
from trainer.imports.base import run_import
from trainer.org.models import OrgUnit
from trainer.org.periods import OrgUnitPath, OrgUnitPeriod

HEADER = "code,name,kind,parent_code,valid_from,valid_to,successor_code,effective_from\n"


@pytest.fixture(autouse=True)
def english(db):
    with force_locale("en"):
        yield


def load(text, dry_run=False):
    return run_import(importer_for("orgunits"), "units.csv", text.encode(), dry_run=dry_run)


def errors_of(report):
    return [(e.row, e.column, str(e.reason)) for e in report.errors]


def periods_of(db, code):
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    rows = db.session.scalars(
        select(OrgUnitPeriod)
        .where(OrgUnitPeriod.org_unit_id == unit.id)
        .order_by(OrgUnitPeriod.valid_from.is_not(None), OrgUnitPeriod.valid_from)
    )
    code_of = dict(db.session.execute(select(OrgUnit.id, OrgUnit.code)).all())
    return [(p.valid_from, p.valid_to, code_of.get(p.parent_id), p.name) for p in rows]


def path_on(db, code, day):
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    return db.session.scalar(
        select(OrgUnitPath.path).where(OrgUnitPath.org_unit_id == unit.id, OrgUnitPath.on(day))
    )


REFORM = HEADER + (
    "P,Tỉnh,province,,,,,\n"
    "D,Huyện Cũ,district,P,,2025-06-30,C,\n"
    "C,Xã Mới,commune,P,2025-07-01,,,\n"
    "S,Trường A,school,D,,,,\n"
    "S,Trường A,school,C,,,,2025-07-01\n"
)


def test_dates_successor_and_periods_are_kept(db):
    report = load(REFORM)
    assert report.ok, errors_of(report)
    db.session.commit()
    district = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "D"))
    assert (district.valid_from, district.valid_to, district.successor_code) == (
        None,
        date(2025, 6, 30),
        "C",
    )
    assert periods_of(db, "S") == [
        (None, date(2025, 6, 30), "D", "Trường A"),
        (date(2025, 7, 1), None, "C", "Trường A"),
    ]
    school = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "S"))
    assert school.parent.code == "C"  # the current state is the latest
    ids = dict(db.session.execute(select(OrgUnit.code, OrgUnit.id)).all())
    assert path_on(db, "S", date(2025, 6, 30)) == f"/{ids['P']}/{ids['D']}/{ids['S']}/"
    assert path_on(db, "S", date(2025, 7, 1)) == f"/{ids['P']}/{ids['C']}/{ids['S']}/"
    assert path_on(db, "C", date(2025, 6, 30)) is None
    assert path_on(db, "D", date(2025, 7, 1)) is None
    again = load(REFORM)
    assert again.ok, errors_of(again)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_a_rename_with_effective_from_keeps_the_old_name(db, tree):
    report = load(
        "code,name,kind,parent_code,effective_from\n"
        "DB-A,Huyện Mường Chà Mới,district,DB,2024-01-01\n"
    )
    assert report.ok and report.updated == 1, errors_of(report)
    assert periods_of(db, "DB-A") == [
        (None, date(2023, 12, 31), "DB", "Huyện Mường Chà"),
        (date(2024, 1, 1), None, "DB", "Huyện Mường Chà Mới"),
    ]


@pytest.mark.parametrize(
    "rows, expected",
    [
        # a school left open under a district that closes
        (
            "P,Tỉnh,province,,,,,\nD,Huyện,district,P,,2025-06-30,,\nS,Trường,school,D,,,,\n",
            [(4, "parent_code", "still under D after its last day 30/06/2025")],
        ),
        # the successor starts two days late
        (
            "P,Tỉnh,province,,,,,\nD,Huyện,district,P,,2025-06-30,C,\nC,Xã,commune,P,2025-07-02,,,\n",
            [(3, "successor_code", "the successor C is not in force on 01/07/2025")],
        ),
        # the same code twice from the same date
        (
            "P,Tỉnh,province,,,,,\nS,A,school,P,,,,2025-01-01\nS,B,school,P,,,,2025-01-01\n",
            [(4, "effective_from", "overlapping periods")],
        ),
        # a period after the unit's last day
        (
            "P,Tỉnh,province,,,,,\nS,A,school,P,,2025-06-30,,\nS,A,school,P,,2025-06-30,,2025-08-01\n",
            [(4, "effective_from", "overlapping periods")],
        ),
        # a cycle on one date only: from 2025-07-01 A is under B, which is under A
        (
            "A,A,district,,,,,\nB,B,district,A,,,,\nA,A,district,B,,,,2025-07-01\n",
            [(2, "parent_code", "cycle on 01/07/2025")],
        ),
    ],
)
def test_bad_histories_write_nothing_and_report_every_row(db, rows, expected):
    report = load(HEADER + rows)
    assert not report.ok and not report.written
    found = errors_of(report)
    for row, column, reason in expected:
        assert any(r == row and c == column and reason in text for r, c, text in found), found
    db.session.rollback()
    assert db.session.scalar(select(OrgUnit.id)) is None


def test_two_bad_rows_are_both_reported(db):
    report = load(
        HEADER + "P,Tỉnh,province,,,,,\nD,Huyện,district,P,,2025-06-30,X,\nS,Trường,school,D,,,,\n"
    )
    assert {(r, c) for r, c, _ in errors_of(report)} >= {(3, "successor_code"), (4, "parent_code")}


def test_orm_changes_start_a_new_period_today(db, tree):
    from trainer.timeutil import local_today

    unit = tree["DB-A-S1"]
    unit.parent = tree["DB-B"]
    db.session.flush()
    today = local_today()
    assert periods_of(db, "DB-A-S1")[-1] == (today, None, "DB-B", unit.name)
    assert periods_of(db, "DB-A-S1")[0][2] == "DB-A"
