"""A running training session with people on its roster, for the security tests."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from trainer.curriculum.models import Module
from trainer.extensions import db
from trainer.training import services

from .. import factories


def running_session(unit, people, title="Tin học cơ bản", trainer=None):
    """A session at ``unit`` that started an hour ago, with ``people`` enrolled."""
    module = db.session.scalar(select(Module).where(Module.code == "IU01"))
    trainer = trainer or factories.make_staff(unit, "Lò Văn Giảng", "it_teacher")
    now = datetime.now(UTC).replace(microsecond=0)
    session = services.create_session(
        module=module,
        title=title,
        trainer=trainer,
        venue=unit,
        location="Phòng máy",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        capacity=30,
    )
    services.enroll(session, people)
    db.session.commit()
    return session
