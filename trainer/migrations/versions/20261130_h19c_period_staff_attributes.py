"""Staff periods carry copies of the staff record's gender and ethnicity, so that coverage
broken down by them is one grouped query over the periods of a day (no join back to staff).

Revision ID: h19c00000001
Revises: h20a00000001
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'h19c00000001'
down_revision = 'h20a00000001'
branch_labels = None
depends_on = None


COVERING = ['org_unit_id', 'status', 'position', 'gender', 'ethnicity', 'staff_id',
            'valid_from', 'valid_to']


def upgrade():
    with op.batch_alter_table('staff_periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gender', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('ethnicity', sa.String(length=32), nullable=True))
    # backfill: every period of a person gets the person's current values (one statement,
    # the same SQL on SQLite and PostgreSQL)
    periods = sa.table('staff_periods', sa.column('staff_id', sa.Integer),
                       sa.column('gender', sa.String), sa.column('ethnicity', sa.String))
    staff = sa.table('staff', sa.column('id', sa.Integer), sa.column('gender', sa.String),
                     sa.column('ethnicity', sa.String))
    op.get_bind().execute(
        sa.update(periods).values(
            gender=sa.select(staff.c.gender).where(staff.c.id == periods.c.staff_id)
            .scalar_subquery(),
            ethnicity=sa.select(staff.c.ethnicity).where(staff.c.id == periods.c.staff_id)
            .scalar_subquery(),
        )
    )
    # the unit index now covers the breakdown's grouped query (same leading columns)
    with op.batch_alter_table('staff_periods', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_periods_unit')
        batch_op.create_index('ix_staff_periods_unit', COVERING, unique=False)


def downgrade():
    with op.batch_alter_table('staff_periods', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_periods_unit')
        batch_op.create_index('ix_staff_periods_unit', ['org_unit_id', 'status', 'position'],
                              unique=False)
        batch_op.drop_column('ethnicity')
        batch_op.drop_column('gender')
