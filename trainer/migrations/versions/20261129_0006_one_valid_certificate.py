"""One valid certificate of a level per person, held by a partial unique index.

Databases written before the index may hold duplicates (issuers racing each other): the
earliest valid certificate of each person and level is kept, later ones are revoked as
duplicates of it (on their own issue date, so that they never counted), then the index
is built.

Revision ID: a13a00000001
Revises: a14a00000001
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a13a00000001'
down_revision = 'a14a00000001'
branch_labels = None
depends_on = None

WHERE = "NOT external AND status = 'valid'"


def revoke_duplicates():
    bind = op.get_bind()
    duplicates = bind.execute(sa.text(
        "SELECT c.id, c.issued_on, k.number FROM certificates c "
        "JOIN certificates k ON k.staff_id = c.staff_id AND k.level_id = c.level_id "
        "AND NOT k.external AND k.status = 'valid' AND k.id = ("
        "  SELECT MIN(m.id) FROM certificates m WHERE m.staff_id = c.staff_id"
        "  AND m.level_id = c.level_id AND NOT m.external AND m.status = 'valid') "
        "WHERE NOT c.external AND c.status = 'valid' AND c.id <> k.id")).all()
    for cert_id, issued_on, kept in duplicates:
        bind.execute(sa.text(
            "UPDATE certificates SET status = 'revoked', revoked_on = :on, "
            "revoked_reason = :reason WHERE id = :id"),
            {"on": issued_on, "reason": f"Duplicate of {kept}", "id": cert_id})


def upgrade():
    revoke_duplicates()
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('uq_certificates_one_valid', ['staff_id', 'level_id'],
                              unique=True, sqlite_where=sa.text(WHERE),
                              postgresql_where=sa.text(WHERE))


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_one_valid')
