"""Training sessions, enrolments with attendance, and requests for a place.

`enrolled_count` is kept by the conditional UPDATE that admits enrolments, and a CHECK
constraint keeps it within capacity, so that two trainers enrolling at once cannot overfill a
session.

Revision ID: 99dc2f285c03
Revises: 81babdaedde6
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '99dc2f285c03'
down_revision = '81babdaedde6'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('training_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('enrolled_count', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('series_key', sa.String(length=32), nullable=True),
    sa.Column('late_after_minutes', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_training_sessions_ends_after_start')),
    sa.CheckConstraint('enrolled_count <= capacity', name=op.f('ck_training_sessions_capacity')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_training_sessions_created_by_id_users')),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_training_sessions_module_id_modules')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_training_sessions_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['trainer_id'], ['staff.id'], name=op.f('fk_training_sessions_trainer_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_sessions'))
    )
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_sessions_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_org_unit_id'), ['org_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_series_key'), ['series_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_trainer_id'), ['trainer_id'], unique=False)

    op.create_table('enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_enrollments_marked_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_enrollments_session_id_training_sessions')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_enrollments_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollments')),
    sa.UniqueConstraint('session_id', 'staff_id', name=op.f('uq_enrollments_session_id'))
    )
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollments_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollments_staff_id'), ['staff_id'], unique=False)

    op.create_table('place_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_place_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_place_requests_session_id_training_sessions')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_place_requests_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place_requests')),
    sa.UniqueConstraint('session_id', 'staff_id', name=op.f('uq_place_requests_session_id'))
    )
    with op.batch_alter_table('place_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_requests_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_requests_staff_id'), ['staff_id'], unique=False)




def downgrade():

    with op.batch_alter_table('place_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_requests_staff_id'))
        batch_op.drop_index(batch_op.f('ix_place_requests_session_id'))

    op.drop_table('place_requests')
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollments_staff_id'))
        batch_op.drop_index(batch_op.f('ix_enrollments_session_id'))

    op.drop_table('enrollments')
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_sessions_trainer_id'))
        batch_op.drop_index(batch_op.f('ix_training_sessions_status'))
        batch_op.drop_index(batch_op.f('ix_training_sessions_starts_at'))
        batch_op.drop_index(batch_op.f('ix_training_sessions_series_key'))
        batch_op.drop_index(batch_op.f('ix_training_sessions_org_unit_id'))
        batch_op.drop_index(batch_op.f('ix_training_sessions_module_id'))

    op.drop_table('training_sessions')

