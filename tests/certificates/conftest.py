"""Fixtures: levels, staff with results, and a helper to pass modules."""

from datetime import date

import pytest
from sqlalchemy import select

from trainer.curriculum import services as curriculum
from trainer.curriculum.models import CertificateLevel, Module

from .. import factories


@pytest.fixture
def levels(db):
    return {lv.code: lv for lv in db.session.scalars(select(CertificateLevel))}


@pytest.fixture
def modules(db):
    return {m.code: m for m in db.session.scalars(select(Module))}


@pytest.fixture
def pass_modules(db, modules):
    def passed(staff, *codes, score=80):
        for code in codes:
            curriculum.record_result(staff, modules[code], score, date(2026, 1, 10))
        db.session.commit()

    return passed


BASIC = [f"IU0{i}" for i in range(1, 7)]


@pytest.fixture
def person(db, tree):
    staff = factories.make_staff(
        tree["DB-A-S1"], "Nguyễn Tiến Thắng", staff_code="A1", gender="male"
    )
    db.session.commit()
    return staff
