"""Roster history: the staff import's effective_from, transfers as new periods, users follow."""

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.imports import importer_for
from trainer.imports.base import run_import
from trainer.org.models import Staff
from trainer.org.periods import StaffPeriod
from trainer.timeutil import local_today

from .. import factories

HEADER = "staff_code,full_name,org_code,position,status,effective_from\n"


@pytest.fixture(autouse=True)
def english(db):
    with force_locale("en"):
        yield


def load(text):
    return run_import(importer_for("staff"), "staff.csv", (HEADER + text).encode())


def history(db, code):
    staff = db.session.scalar(select(Staff).where(Staff.staff_code == code))
    return [
        (p.valid_from, p.valid_to, p.org_unit_id, p.position, p.status)
        for p in db.session.scalars(
            select(StaffPeriod)
            .where(StaffPeriod.staff_id == staff.id)
            .order_by(StaffPeriod.valid_from.is_not(None), StaffPeriod.valid_from)
        )
    ]


def test_a_transfer_keeps_the_previous_period(db, tree):
    a, b = tree["DB-A-S1"].id, tree["DB-B-S1"].id
    assert load("T1,Lò Thị Hương,DB-A-S1,teacher,,\n").created == 1
    assert history(db, "T1") == [(None, None, a, "teacher", "active")]
    report = load("T1,Lò Thị Hương,DB-B-S1,teacher,,2025-09-01\n")
    assert report.ok and report.updated == 1
    assert history(db, "T1") == [
        (None, date(2025, 8, 31), a, "teacher", "active"),
        (date(2025, 9, 1), None, b, "teacher", "active"),
    ]
    person = db.session.scalar(select(Staff).where(Staff.staff_code == "T1"))
    assert person.org_unit_id == b
    # the same file again changes nothing
    again = load("T1,Lò Thị Hương,DB-B-S1,teacher,,2025-09-01\n")
    assert (again.updated, again.unchanged) == (0, 1)


def test_a_change_without_a_date_applies_from_today(db, tree):
    load("T2,Quàng Văn Đức,DB-A-S1,teacher,,\n")
    load("T2,Quàng Văn Đức,DB-A-S1,teacher,inactive,\n")
    today = local_today()
    assert [p[0] for p in history(db, "T2")] == [None, today]
    assert history(db, "T2")[-1][-1] == "inactive"


def test_a_new_person_with_a_date_starts_then(db, tree):
    load("T3,Lò Văn An,DB-A-S1,teacher,,2024-02-01\n")
    assert history(db, "T3") == [(date(2024, 2, 1), None, tree["DB-A-S1"].id, "teacher", "active")]


def test_a_closed_unit_is_refused(db, tree):
    tree["DB-B-S1"].valid_to = date(2025, 6, 30)
    db.session.flush()
    report = load("T4,Lò Văn Bình,DB-B-S1,teacher,,2025-07-01\n")
    assert [(e.row, e.column) for e in report.errors] == [(2, "org_code")]
    assert "not in force on 01/07/2025" in str(report.errors[0].reason)


def test_a_user_follows_the_unit_of_their_staff_record(db, tree):
    user = factories.make_user("teacher", tree["DB-A-S1"])
    code = user.staff.staff_code
    db.session.commit()
    report = load(f"{code},{user.staff.full_name},DB-B-S1,teacher,,2025-09-01\n")
    assert report.ok, report.errors
    db.session.expire_all()
    assert db.session.get(User, user.id).org_unit_id == tree["DB-B-S1"].id


def test_a_manager_with_a_wider_scope_keeps_it(db, tree):
    staff = factories.make_staff(tree["DB-A-S1"], "Cầm Văn Minh", "manager")
    user = factories.make_user("manager", tree["DB-A"], staff=staff)
    staff.org_unit = tree["DB-A-S2"]
    db.session.flush()
    db.session.expire_all()
    assert db.session.get(User, user.id).org_unit_id == tree["DB-A"].id
    assert history(db, staff.staff_code)[-1][2] == tree["DB-A-S2"].id
