"""Staff sort key: lists and sign-in sheets sort in Vietnamese order, by given name first.

Revision ID: h20a00000001
Revises: h14a00000001
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

from trainer.org.text import name_sort_key

# revision identifiers, used by Alembic.
revision = 'h20a00000001'
down_revision = 'h14a00000001'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_key', sa.String(length=1000), nullable=True))
    staff = sa.table('staff', sa.column('id', sa.Integer), sa.column('full_name', sa.String),
                     sa.column('sort_key', sa.String))
    conn = op.get_bind()
    rows = conn.execute(sa.select(staff.c.id, staff.c.full_name).order_by(staff.c.id)).all()
    update = (sa.update(staff).where(staff.c.id == sa.bindparam('staff_id'))
              .values(sort_key=sa.bindparam('key')))
    for start in range(0, len(rows), BATCH):
        conn.execute(update, [{'staff_id': row.id, 'key': name_sort_key(row.full_name)}
                              for row in rows[start:start + BATCH]])
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.alter_column('sort_key', existing_type=sa.String(length=1000), nullable=False)
        batch_op.create_index(batch_op.f('ix_staff_sort_key'), ['sort_key'], unique=False)


def downgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sort_key'))
        batch_op.drop_column('sort_key')
