"""National identifiers and report attributes: staff moet_id and ethnicity; units' moet_id,
school_level and disadvantaged.

Revision ID: b15b00000001
Revises: c17c00000001
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b15b00000001'
down_revision = 'c17c00000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moet_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('school_level', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('disadvantaged', sa.Boolean(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_org_units_moet_id'), ['moet_id'])

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moet_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('ethnicity', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_staff_moet_id'), ['moet_id'])


def downgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_moet_id'), type_='unique')
        batch_op.drop_column('ethnicity')
        batch_op.drop_column('moet_id')

    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_org_units_moet_id'), type_='unique')
        batch_op.drop_column('disadvantaged')
        batch_op.drop_column('school_level')
        batch_op.drop_column('moet_id')
