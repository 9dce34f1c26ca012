"""On PostgreSQL the staff periods' index by person also carries the columns coverage reads
(valid_to, status, org_unit_id, position): the country's periods of a day (of one position
too) are read from the index alone, in staff_id order, and merged with the holders from
``ix_certificates_holding`` (issue 15, coverage of the country ≤ 1 s). SQLite has no
INCLUDE; its index stays as it was.

Revision ID: h15n00000001
Revises: h19d00000001
Create Date: 2026-11-30
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'h15n00000001'
down_revision = 'h19d00000001'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_staff_periods_staff', table_name='staff_periods')
    op.create_index('ix_staff_periods_staff', 'staff_periods', ['staff_id', 'valid_from'],
                    unique=False,
                    postgresql_include=['valid_to', 'status', 'org_unit_id', 'position'])


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_staff_periods_staff', table_name='staff_periods')
    op.create_index('ix_staff_periods_staff', 'staff_periods', ['staff_id', 'valid_from'],
                    unique=False)
