"""Time in the model: units in force over time, unit and staff periods, derived paths by date,
and applied reorganisations (for undo). Existing units and staff get one open period.

Revision ID: a15a00000001
Revises: a16a00000001
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a15a00000001'
down_revision = 'a16a00000001'
branch_labels = None
depends_on = None

PATH = sa.String(length=1024).with_variant(sa.String(length=1024, collation='C'), 'postgresql')
UTC = sa.DateTime(timezone=True)


def upgrade():
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('valid_to', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('successor_code', sa.String(length=64), nullable=True))

    op.create_table('org_unit_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_org_unit_periods_org_unit_id_org_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['org_units.id'], name=op.f('fk_org_unit_periods_parent_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_unit_periods'))
    )
    with op.batch_alter_table('org_unit_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_unit_periods_org_unit_id'), ['org_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_unit_periods_parent_id'), ['parent_id'], unique=False)

    op.create_table('org_unit_paths',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=False),
    sa.Column('path', PATH, nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_org_unit_paths_org_unit_id_org_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_unit_paths'))
    )
    with op.batch_alter_table('org_unit_paths', schema=None) as batch_op:
        batch_op.create_index('ix_org_unit_paths_path', ['path', 'valid_from', 'valid_to'], unique=False)
        batch_op.create_index('ix_org_unit_paths_unit', ['org_unit_id', 'valid_from'], unique=False)

    op.create_table('staff_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_staff_periods_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_periods_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_periods'))
    )
    with op.batch_alter_table('staff_periods', schema=None) as batch_op:
        batch_op.create_index('ix_staff_periods_staff', ['staff_id', 'valid_from'], unique=False)
        batch_op.create_index('ix_staff_periods_unit', ['org_unit_id', 'status', 'position'], unique=False)

    op.create_table('reorganisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('applied_at', UTC, nullable=False),
    sa.Column('applied_by_id', sa.Integer(), nullable=True),
    sa.Column('version_after', sa.Integer(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('undone_at', UTC, nullable=True),
    sa.ForeignKeyConstraint(['applied_by_id'], ['users.id'], name=op.f('fk_reorganisations_applied_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reorganisations'))
    )

    # what exists today has always been so: one open period each, paths as they are
    op.execute("INSERT INTO org_unit_periods (org_unit_id, valid_from, valid_to, parent_id, name) "
               "SELECT id, NULL, NULL, parent_id, name FROM org_units")
    op.execute("INSERT INTO staff_periods (staff_id, valid_from, valid_to, org_unit_id, position, "
               "status) SELECT id, NULL, NULL, org_unit_id, position, status FROM staff")
    op.execute("INSERT INTO org_unit_paths (org_unit_id, valid_from, valid_to, path, depth) "
               "SELECT id, '0001-01-01', '9999-12-31', path, depth FROM org_units")


def downgrade():
    op.drop_table('reorganisations')
    with op.batch_alter_table('staff_periods', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_periods_unit')
        batch_op.drop_index('ix_staff_periods_staff')
    op.drop_table('staff_periods')
    with op.batch_alter_table('org_unit_paths', schema=None) as batch_op:
        batch_op.drop_index('ix_org_unit_paths_unit')
        batch_op.drop_index('ix_org_unit_paths_path')
    op.drop_table('org_unit_paths')
    with op.batch_alter_table('org_unit_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_unit_periods_parent_id'))
        batch_op.drop_index(batch_op.f('ix_org_unit_periods_org_unit_id'))
    op.drop_table('org_unit_periods')
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_column('successor_code')
        batch_op.drop_column('valid_to')
        batch_op.drop_column('valid_from')

