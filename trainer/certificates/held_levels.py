"""Which certificates count on a given day: the condition shared by coverage, lists and progress."""

from sqlalchemy import and_, or_, select

from .models import Certificate, CertificateLevel


def held_condition(level_rank, as_of):
    """SQL condition on ``Certificate``: it counts for a level of ``level_rank`` on ``as_of``."""
    return and_(
        Certificate.level_id.in_(
            select(CertificateLevel.id).where(CertificateLevel.rank >= level_rank)
        ),
        Certificate.issued_on <= as_of,
        # a revocation counts from its date on (one without a date counts from the start)
        or_(Certificate.status != "revoked", Certificate.revoked_on > as_of),
        or_(Certificate.expires_on.is_(None), Certificate.expires_on > as_of),
    )


def holder_ids(level_rank, as_of):
    """A select of the ids of staff holding a level of at least ``level_rank`` on ``as_of``."""
    return select(Certificate.staff_id).where(held_condition(level_rank, as_of))
