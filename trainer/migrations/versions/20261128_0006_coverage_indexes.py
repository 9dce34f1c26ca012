"""Covering indexes for coverage: active staff per unit, and certificate holding by staff.

Revision ID: eb3486583b23
Revises: 6314155de7a8
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'eb3486583b23'
down_revision = '6314155de7a8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('ix_certificates_holding', ['staff_id', 'level_id', 'issued_on', 'status', 'revoked_on', 'expires_on'], unique=False)

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index('ix_staff_active_unit', ['status', 'org_unit_id', 'position'], unique=False)



def downgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_active_unit')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('ix_certificates_holding')

