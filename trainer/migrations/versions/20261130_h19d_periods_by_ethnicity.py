"""An index on staff periods in (unit, ethnicity) order, covering the breakdown's grouped
query by ethnic minority: SQLite groups the periods of a day by unit and ethnicity in index
order instead of sorting them.

Revision ID: h19d00000001
Revises: h19c00000001
Create Date: 2026-11-30
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'h19d00000001'
down_revision = 'h19c00000001'
branch_labels = None
depends_on = None


COLUMNS = ['org_unit_id', 'ethnicity', 'status', 'valid_from', 'valid_to', 'staff_id']


def upgrade():
    with op.batch_alter_table('staff_periods', schema=None) as batch_op:
        batch_op.create_index('ix_staff_periods_unit_ethnicity', COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table('staff_periods', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_periods_unit_ethnicity')
