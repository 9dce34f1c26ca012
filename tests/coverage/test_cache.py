"""Cached coverage follows every kind of change at once (no stale figures)."""

from datetime import date

from sqlalchemy import select

from trainer.certificates.models import Certificate
from trainer.coverage.cache import current_version
from trainer.coverage.services import cached_coverage, set_target
from trainer.curriculum.models import CertificateLevel
from trainer.imports import importer_for
from trainer.imports.base import run_import
from trainer.timeutil import local_today

from .. import factories


def figures(unit, level):
    head, _rows = cached_coverage(unit, level, date(2026, 6, 1))
    return head.staff_total, head.certified, head.target_percent


def test_cache_follows_orm_and_bulk_changes(db, tree):
    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    person = factories.make_staff(tree["DB-A-S1"], "Người Một", staff_code="P1")
    db.session.commit()
    assert figures(tree["DB"], basic) == (1, 0, None)
    version = current_version()
    assert figures(tree["DB"], basic) == (1, 0, None) and current_version() == version

    cert = Certificate(
        number="E1",
        issuer_key="X",
        issuer="X",
        external=True,
        staff_id=person.id,
        level_id=basic.id,
        issued_on=date(2026, 1, 1),
    )
    db.session.add(cert)
    db.session.commit()
    assert figures(tree["DB"], basic) == (1, 1, None)  # ORM insert

    set_target(tree["DB"], basic, 2026, 90)
    db.session.commit()
    assert figures(tree["DB"], basic) == (1, 1, 90.0)

    data = "staff_code,full_name,org_code,position\nP2,Người Hai,DB-A-S2,teacher\n".encode()
    run_import(importer_for("staff"), "s.csv", data)  # bulk Core-style insert
    db.session.commit()
    assert figures(tree["DB"], basic) == (2, 1, 90.0)

    today = local_today()
    assert cached_coverage(tree["DB"], basic, today)[0].staff_total == 2
    person.status = "inactive"  # through the ORM: a new period from today
    db.session.commit()
    assert cached_coverage(tree["DB"], basic, today)[0].staff_total == 1
    assert figures(tree["DB"], basic) == (2, 1, 90.0)  # earlier dates keep their history


def test_cache_follows_bulk_issuing(db, tree):
    """Bulk issuing writes its rows with one executemany, not ORM objects: it bumps too."""
    from trainer.certificates.services import issue_bulk
    from trainer.curriculum.models import Module
    from trainer.curriculum.services import record_result

    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    modules = {m.code: m for m in db.session.scalars(select(Module))}
    for i in range(3):
        person = factories.make_staff(tree["DB-A-S1"], f"Người Đạt {i}", staff_code=f"Q{i}")
        for code in ("IU01", "IU02", "IU03", "IU04", "IU05", "IU06"):
            record_result(person, modules[code], 80, date(2026, 1, 10))
    db.session.commit()
    assert figures(tree["DB"], basic) == (3, 0, None)
    issue_bulk(tree["DB-A"], basic, issued_on=date(2026, 2, 1))
    db.session.commit()
    assert figures(tree["DB"], basic) == (3, 3, None)


def test_every_unit_of_a_day_rolls_up_the_cached_per_unit_counts(db, tree, monkeypatch):
    """The whole tree's per-unit counts of a day are computed once per data version; every
    unit's figures that day agree with the uncached computation, and follow a change."""
    import trainer.coverage.services as services

    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    people = [factories.make_staff(tree[code], f"Người {code}") for code in tree]
    db.session.add(
        Certificate(
            number="E9",
            issuer_key="X",
            issuer="X",
            external=True,
            staff_id=people[3].id,
            level_id=basic.id,
            issued_on=date(2026, 1, 1),
        )
    )
    db.session.commit()
    scans = []
    real = services.unit_counts
    monkeypatch.setattr(services, "unit_counts", lambda *args: scans.append(args[0]) or real(*args))
    day = local_today()  # an edit in the app starts a new period today
    for code in ("DB", "DB-A", "DB-B", "DB-A-S1"):
        assert cached_coverage(tree[code], basic, day) == services.coverage_by_join(
            tree[code], basic, day
        ), code
    assert scans == [None]  # one scan of the whole tree for the four units
    people[0].status = "inactive"  # DB's own staff member leaves
    db.session.commit()
    head, _rows = cached_coverage(tree["DB"], basic, day)
    assert (head, _rows) == services.coverage_by_join(tree["DB"], basic, day)
    assert (head.staff_total, head.certified) == (len(people) - 1, 1)
    assert scans == [None, None]
