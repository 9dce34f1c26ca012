"""Items sent by devices that worked without a connection (applied at most once).

Revision ID: d18d00000001
Revises: a13a00000001
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd18d00000001'
down_revision = 'a13a00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('device_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('staff_code', sa.String(length=64), nullable=False),
    sa.Column('device_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_device_submissions_session_id_training_sessions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_device_submissions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_submissions')),
    sa.UniqueConstraint('device_id', name=op.f('uq_device_submissions_device_id'))
    )
    with op.batch_alter_table('device_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_submissions_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_device_submissions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('device_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_submissions_user_id'))
        batch_op.drop_index(batch_op.f('ix_device_submissions_session_id'))
    op.drop_table('device_submissions')
