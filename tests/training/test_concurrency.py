"""Two trainers enrolling at the same moment cannot overfill a session."""

import threading

import pytest
from sqlalchemy import func, select

from trainer.extensions import db as _db
from trainer.training import services
from trainer.training.errors import CapacityExceeded
from trainer.training.models import Enrollment, TrainingSession

from .. import factories

# threads with sessions of their own read and write: real commits
pytestmark = pytest.mark.committed


def test_concurrent_enrolments_respect_capacity(app, db, tree, make_session, backend):
    people = [factories.make_staff(tree["DB-A-S2"], f"Người {i}") for i in range(8)]
    session = make_session(capacity=5)
    db.session.commit()
    session_id, ids = session.id, [p.id for p in people]
    barrier = threading.Barrier(4)
    outcomes = []

    def enrol(chunk):
        with app.app_context():
            target = _db.session.get(TrainingSession, session_id)
            staff = [_db.session.get(type(people[0]), i) for i in chunk]
            barrier.wait()
            try:
                services.enroll(target, staff)
                _db.session.commit()
                outcomes.append("ok")
            except CapacityExceeded:
                _db.session.rollback()
                outcomes.append("full")
            except Exception as exc:  # SQLite may report a busy database instead
                _db.session.rollback()
                outcomes.append(type(exc).__name__)
            finally:
                _db.session.remove()

    chunks = [ids[0:2], ids[2:4], ids[4:6], ids[6:8]]  # 4 × 2 people for 5 places
    threads = [threading.Thread(target=enrol, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    count = db.session.scalar(select(func.count()).select_from(Enrollment))
    stored = db.session.get(TrainingSession, session_id)
    assert count == stored.enrolled_count <= 5
    assert outcomes.count("ok") == 2 and count == 4
    assert len(outcomes) == 4
