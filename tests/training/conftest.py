"""Fixtures for training tests: a module, a trainer, teachers and a session tomorrow."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from trainer.curriculum.models import Module
from trainer.training import services

from .. import factories


@pytest.fixture
def module(db):
    return db.session.scalar(select(Module).where(Module.code == "IU01"))


@pytest.fixture
def trainer_staff(db, tree):
    staff = factories.make_staff(tree["DB-A-S1"], "Lò Văn Giảng", "it_teacher", staff_code="GV1")
    db.session.commit()
    return staff


@pytest.fixture
def teachers(db, tree):
    people = [
        factories.make_staff(tree["DB-A-S1"], name, staff_code=f"T{i}")
        for i, name in enumerate(
            ["Nguyễn Tiến Thắng", "Quàng Văn Đức", "Lò Thị Hương", "Đặng Văn Đức"], start=1
        )
    ]
    db.session.commit()
    return people


def at(hours_from_now):
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return base + timedelta(hours=hours_from_now)


@pytest.fixture
def make_session(db, tree, module, trainer_staff):
    def make(start=24, hours=2, capacity=3, trainer=None, venue="DB-A-S1", **kw):
        session = services.create_session(
            module=module,
            title=kw.pop("title", "Tin học cơ bản"),
            trainer=trainer or trainer_staff,
            venue=tree[venue],
            location="Phòng máy",
            starts_at=at(start),
            ends_at=at(start + hours),
            capacity=capacity,
            **kw,
        )
        db.session.commit()
        return session

    return make
