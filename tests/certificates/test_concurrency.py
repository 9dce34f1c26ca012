"""Certificate numbers stay unique when two bulk issues run at the same moment."""

import threading

import pytest
from sqlalchemy import select

from trainer.certificates import services
from trainer.certificates.models import Certificate
from trainer.extensions import db as _db

from .. import factories
from .conftest import BASIC

# threads with sessions of their own read and write: real commits
pytestmark = pytest.mark.committed


def test_concurrent_bulk_issues_never_share_a_number(app, db, tree, levels, pass_modules):
    groups = {"DB-A-S1": [], "DB-A-S2": [], "DB-B-S1": []}
    for code in groups:
        for i in range(4):
            person = factories.make_staff(tree[code], f"Người {code} {i}")
            pass_modules(person, *BASIC)
    unit_ids = {code: tree[code].id for code in groups}
    level_id = levels["basic"].id
    barrier = threading.Barrier(len(groups))
    errors = []

    def issue(code):
        with app.app_context():
            from trainer.curriculum.models import CertificateLevel
            from trainer.org.models import OrgUnit

            unit = _db.session.get(OrgUnit, unit_ids[code])
            level = _db.session.get(CertificateLevel, level_id)
            barrier.wait()
            try:
                services.issue_bulk(unit, level)
                _db.session.commit()
            except Exception as exc:  # reported below
                _db.session.rollback()
                errors.append(repr(exc))
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=issue, args=(code,)) for code in groups]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db.session.expire_all()
    numbers = list(db.session.scalars(select(Certificate.number)))
    assert len(numbers) == 12 and len(set(numbers)) == 12
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, 13))
