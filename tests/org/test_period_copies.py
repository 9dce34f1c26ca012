"""Staff periods carry copies of the staff record's gender and ethnicity (the breakdowns group
the periods of a day without joining ``staff``): every writer of periods or of those two
attributes keeps every period's copy equal to the record's."""

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import insert, select

from trainer.imports import importer_for
from trainer.imports.base import run_import
from trainer.org.history import add_missing_periods
from trainer.org.models import Staff
from trainer.org.periods import Reorganisation, StaffPeriod
from trainer.org.reorganisation import undo

from .. import factories
from . import test_reorganisation
from .test_reorganisation import REFORM, reorganise

province = test_reorganisation.province  # the fixture: a small province and its 2025 reform

HEADER = "staff_code,full_name,org_code,position,status,gender,ethnicity,effective_from\n"


@pytest.fixture(autouse=True)
def english(db):
    with force_locale("en"):
        yield


def periods(db, staff_id=None):
    """[(staff id, period gender, period ethnicity, staff gender, staff ethnicity)]."""
    stmt = select(
        StaffPeriod.staff_id,
        StaffPeriod.gender,
        StaffPeriod.ethnicity,
        Staff.gender,
        Staff.ethnicity,
    ).join(Staff, Staff.id == StaffPeriod.staff_id)
    if staff_id is not None:
        stmt = stmt.where(StaffPeriod.staff_id == staff_id)
    return db.session.execute(stmt.order_by(StaffPeriod.id)).all()


def assert_copies_equal(db):
    rows = periods(db)
    assert rows
    assert [r for r in rows if (r[1], r[2]) != (r[3], r[4])] == []


def load(text):
    return run_import(importer_for("staff"), "staff.csv", (HEADER + text).encode())


def test_a_new_person_s_period_carries_her_gender_and_ethnicity(db, tree):
    person = factories.make_staff(
        tree["DB-A-S1"], "Lò Thị Hương", gender="female", ethnicity="Thái"
    )
    db.session.commit()
    assert [r[1:3] for r in periods(db, person.id)] == [("female", "Thái")]


def test_a_change_of_gender_or_ethnicity_reaches_every_period(db, tree):
    person = factories.make_staff(tree["DB-A-S1"], "Lò Văn Pọm", gender="male", ethnicity="Kinh")
    db.session.commit()
    person.org_unit_id = tree["DB-B-S1"].id  # a transfer through the ORM: a second period
    db.session.commit()
    assert len(periods(db, person.id)) == 2
    person.ethnicity = "Thái"
    db.session.commit()
    assert [r[1:3] for r in periods(db, person.id)] == [("male", "Thái")] * 2
    person.gender, person.ethnicity = None, None
    db.session.commit()
    assert [r[1:3] for r in periods(db, person.id)] == [(None, None)] * 2
    assert_copies_equal(db)


def test_a_transfer_s_new_period_carries_the_copies(db, tree):
    person = factories.make_staff(tree["DB-A-S1"], "Giàng A Páo", gender="male", ethnicity="Mông")
    db.session.commit()
    person.position = "principal"
    db.session.commit()
    rows = periods(db, person.id)
    assert len(rows) == 2 and [r[1:3] for r in rows] == [("male", "Mông")] * 2


def test_the_staff_import_writes_and_updates_the_copies(db, tree):
    assert load("T1,Lò Thị Hương,DB-A-S1,teacher,,female,Thái,\n").created == 1
    assert_copies_equal(db)
    # a transfer with a date: the new period gets the copies
    assert load("T1,Lò Thị Hương,DB-B-S1,teacher,,female,Thái,2025-09-01\n").updated == 1
    person = db.session.scalar(select(Staff).where(Staff.staff_code == "T1"))
    assert [r[1:3] for r in periods(db, person.id)] == [("female", "Thái")] * 2
    # only the ethnicity changes (no new period): both periods follow
    assert load("T1,Lò Thị Hương,DB-B-S1,teacher,,female,Kinh,2025-09-01\n").updated == 1
    assert [r[1:3] for r in periods(db, person.id)] == [("female", "Kinh")] * 2
    assert_copies_equal(db)


def test_the_reorganisation_and_its_undo_keep_the_copies(db, province):
    units, staff, _basic = province
    for i, person in enumerate(p for people in staff.values() for p in people):
        person.gender = ("female", "male")[i % 2]
        person.ethnicity = ("Thái", "Kinh", None)[i % 3]
    db.session.commit()
    assert_copies_equal(db)
    assert reorganise(REFORM).ok  # the staff of closed communes move: new periods
    db.session.commit()
    moved = staff["C2"][0].id
    assert len(periods(db, moved)) == 2
    assert_copies_equal(db)
    undo(db.session.scalar(select(Reorganisation)))
    db.session.commit()
    assert len(periods(db, moved)) == 1
    assert_copies_equal(db)


def test_undoing_a_reorganisation_saved_before_the_copies_restores_them(db, province):
    _units, staff, _basic = province
    for person in (p for people in staff.values() for p in people):
        person.gender, person.ethnicity = "female", "Thái"
    db.session.commit()
    assert reorganise(REFORM).ok
    db.session.commit()
    record = db.session.scalar(select(Reorganisation))
    before = dict(record.before)
    before["staff_periods"] = [
        {k: v for k, v in row.items() if k not in ("gender", "ethnicity")}
        for row in before["staff_periods"]
    ]
    record.before = before  # as an older snapshot holds them
    db.session.commit()
    undo(record)
    db.session.commit()
    assert_copies_equal(db)


def test_periods_added_after_a_raw_load_carry_the_copies(db, tree):
    db.session.execute(
        insert(Staff),
        [
            {
                "staff_code": "R1",
                "full_name": "Vì Thị Ân",
                "search_key": "vi thi an",
                "sort_key": "an",
                "org_unit_id": tree["DB-A-S1"].id,
                "position": "teacher",
                "status": "active",
                "gender": "female",
                "ethnicity": "Khơ Mú",
            }
        ],
    )
    add_missing_periods()
    db.session.commit()
    assert [r[1:3] for r in periods(db)] == [("female", "Khơ Mú")]


def test_the_demo_seed_writes_the_copies(db):
    from trainer.demo.seed import seed_demo_data

    seed_demo_data("small")
    db.session.commit()
    assert_copies_equal(db)
    # the seeded history: people with more than one period all carry the copies
    many = db.session.scalar(
        select(StaffPeriod.staff_id).where(StaffPeriod.valid_from == date(2025, 9, 5)).limit(1)
    )
    assert many is not None and len(periods(db, many)) >= 1
