"""Issuing profiles (issuer and signatory per unit) and the signatory printed on certificates.

The new certificate columns get an empty server default so that existing rows stay valid.

Revision ID: 6314155de7a8
Revises: 99dc2f285c03
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6314155de7a8'
down_revision = '99dc2f285c03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('issuing_profiles',
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('issuer_name', sa.String(length=255), nullable=False),
    sa.Column('signatory_name', sa.String(length=255), nullable=False),
    sa.Column('signatory_title', sa.String(length=255), nullable=False),
    sa.Column('place_name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_issuing_profiles_org_unit_id_org_units')),
    sa.PrimaryKeyConstraint('org_unit_id', name=op.f('pk_issuing_profiles'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signatory_name', sa.String(length=255), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('signatory_title', sa.String(length=255), nullable=False,
                                      server_default=''))



def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('signatory_title')
        batch_op.drop_column('signatory_name')

    op.drop_table('issuing_profiles')
