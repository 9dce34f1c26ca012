"""A data-version counter, so that cached coverage figures can never be stale.

Revision ID: 1eeafda754ea
Revises: eb3486583b23
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1eeafda754ea'
down_revision = 'eb3486583b23'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_versions',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions'))
    )
    op.bulk_insert(sa.table('data_versions', sa.column('name', sa.String),
                            sa.column('version', sa.Integer)),
                   [{'name': 'coverage', 'version': 0}])


def downgrade():
    op.drop_table('data_versions')
