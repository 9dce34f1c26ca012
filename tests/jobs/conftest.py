"""Staff who may all get the basic certificate, for jobs that issue it."""

from datetime import date

import pytest
from sqlalchemy import select

from trainer.curriculum import services as curriculum
from trainer.curriculum.models import Module

from .. import factories

BASIC = [f"IU0{i}" for i in range(1, 7)]


@pytest.fixture
def eligible(db, tree):
    """``eligible(n, unit)``: n active staff of ``unit`` who passed every basic module."""

    def make(count, unit="DB-A-S1"):
        modules = [db.session.scalar(select(Module).where(Module.code == c)) for c in BASIC]
        people = []
        for i in range(count):
            person = factories.make_staff(
                tree[unit], f"Người Học {unit} {i}", staff_code=f"{unit}-{i:04d}"
            )
            for module in modules:
                curriculum.record_result(person, module, 80, date(2026, 1, 10))
            people.append(person)
        db.session.commit()
        return people

    return make
