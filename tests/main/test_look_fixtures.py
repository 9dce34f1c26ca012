"""Small data for the layout tests: staff of two schools, some certified."""

from .. import factories


def certify_some(db, tree):
    """Three people at DB-A-S1 (one certified) and two at DB-A-S2 (both certified)."""
    from sqlalchemy import select

    from trainer.curriculum.models import CertificateLevel

    from ..coverage.test_coverage import certify

    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    first = [factories.make_staff(tree["DB-A-S1"], f"Người Một {i}") for i in range(3)]
    second = [factories.make_staff(tree["DB-A-S2"], f"Người Hai {i}") for i in range(2)]
    for person in first[:1] + second:
        certify(db, person, basic)
    db.session.commit()
