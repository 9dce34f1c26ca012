"""Certificate designs with immutable versions and their images; the design version each
certificate is printed with. The look certificates had so far becomes the default design
(whole province, every level), and our existing certificates point at it.

Revision ID: a16a00000001
Revises: b15b000000012
Create Date: 2026-11-29
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = 'a16a00000001'
down_revision = 'b15b000000012'
branch_labels = None
depends_on = None

DEFAULT_BODY = "Chứng nhận {honorific}\n{name}\n{unit}\nĐạt {level}"


def upgrade():
    designs = op.create_table('certificate_designs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('level_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['level_id'], ['certificate_levels.id'], name=op.f('fk_certificate_designs_level_id_certificate_levels')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_certificate_designs_org_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_designs'))
    )
    with op.batch_alter_table('certificate_designs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_designs_org_unit_id'), ['org_unit_id'], unique=False)
    op.create_table('design_images',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=32), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_design_images'))
    )
    versions = op.create_table('certificate_design_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('design_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('subtitle', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('orientation', sa.String(length=16), nullable=False),
    sa.Column('colour_primary', sa.String(length=7), nullable=False),
    sa.Column('colour_accent', sa.String(length=7), nullable=False),
    sa.Column('colour_title', sa.String(length=7), nullable=False),
    sa.Column('colour_text', sa.String(length=7), nullable=False),
    sa.Column('blocks', sa.String(length=120), nullable=False),
    sa.Column('emblem_image', sa.String(length=64), nullable=True),
    sa.Column('signature_image', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_certificate_design_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['design_id'], ['certificate_designs.id'], name=op.f('fk_certificate_design_versions_design_id_certificate_designs')),
    sa.ForeignKeyConstraint(['emblem_image'], ['design_images.sha256'], name=op.f('fk_certificate_design_versions_emblem_image_design_images')),
    sa.ForeignKeyConstraint(['signature_image'], ['design_images.sha256'], name=op.f('fk_certificate_design_versions_signature_image_design_images')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_design_versions')),
    sa.UniqueConstraint('design_id', 'version', name=op.f('uq_certificate_design_versions_design_id'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('design_version_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_certificates_design_version_id_certificate_design_versions'), 'certificate_design_versions', ['design_version_id'], ['id'])

    now = datetime.now(UTC)
    op.bulk_insert(designs, [{'id': 1, 'name': 'Mặc định', 'org_unit_id': None,
                              'level_id': None, 'created_at': now}])
    op.bulk_insert(versions, [{
        'id': 1, 'design_id': 1, 'version': 1, 'title': 'GIẤY CHỨNG NHẬN',
        'subtitle': 'bồi dưỡng kỹ năng số', 'body': DEFAULT_BODY, 'orientation': 'landscape',
        'colour_primary': '#16325c', 'colour_accent': '#b8912f', 'colour_title': '#b3261e',
        'colour_text': '#1d2430', 'blocks': 'frame,motto,emblem,modules,qr,signature',
        'emblem_image': None, 'signature_image': None, 'created_at': now,
        'created_by_id': None}])
    if op.get_bind().dialect.name == 'postgresql':  # the explicit ids above: move the sequences on
        op.execute("SELECT setval('certificate_designs_id_seq', 1)")
        op.execute("SELECT setval('certificate_design_versions_id_seq', 1)")
    op.execute("UPDATE certificates SET design_version_id = 1 WHERE external = false")


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificates_design_version_id_certificate_design_versions'), type_='foreignkey')
        batch_op.drop_column('design_version_id')
    op.drop_table('certificate_design_versions')
    op.drop_table('design_images')
    with op.batch_alter_table('certificate_designs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_designs_org_unit_id'))
    op.drop_table('certificate_designs')
