"""Modules, certificate levels, results, certificates, number sequences and targets.

Also loads the reference data: the 15 modules of Circular 03/2014/TT-BTTTT (IU01-IU15), five
digital-skills topics, and the levels `basic` (IU01-IU06) and `advanced` (basic held, at least
3 of IU07-IU15). The data is written out here, not imported from the app, so that this
migration keeps working whatever the models become.

Revision ID: e50cfd30d23e
Revises: 766559b32a6f
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e50cfd30d23e'
down_revision = '766559b32a6f'
branch_labels = None
depends_on = None


MODULES = [
    ("IU01", "Hiểu biết về công nghệ thông tin cơ bản", "Basic IT knowledge", "basic"),
    ("IU02", "Sử dụng máy tính cơ bản", "Using a computer", "basic"),
    ("IU03", "Xử lý văn bản cơ bản", "Word processing", "basic"),
    ("IU04", "Sử dụng bảng tính cơ bản", "Spreadsheets", "basic"),
    ("IU05", "Sử dụng trình chiếu cơ bản", "Presentations", "basic"),
    ("IU06", "Sử dụng Internet cơ bản", "Using the Internet", "basic"),
    ("IU07", "Xử lý văn bản nâng cao", "Advanced word processing", "advanced"),
    ("IU08", "Sử dụng bảng tính nâng cao", "Advanced spreadsheets", "advanced"),
    ("IU09", "Sử dụng trình chiếu nâng cao", "Advanced presentations", "advanced"),
    ("IU10", "Sử dụng hệ quản trị cơ sở dữ liệu", "Databases", "advanced"),
    ("IU11", "Thiết kế đồ họa hai chiều", "2-D graphic design", "advanced"),
    ("IU12", "Biên tập ảnh", "Photo editing", "advanced"),
    ("IU13", "Biên tập trang thông tin điện tử", "Web page editing", "advanced"),
    ("IU14", "An toàn, bảo mật thông tin", "Information security", "advanced"),
    ("IU15", "Sử dụng phần mềm kế hoạch dự án", "Project-management software", "advanced"),
    ("DS01", "Sử dụng dịch vụ công trực tuyến", "Online public services", "digital"),
    ("DS02", "Mua sắm và thanh toán trực tuyến", "Online shopping and payment", "digital"),
    ("DS03", "Kỹ năng tự bảo vệ trên không gian mạng", "Self-protection in cyberspace", "digital"),
    ("DS04", "Sử dụng các nền tảng số", "Using digital platforms", "digital"),
    ("DS05", "Diễn tập an toàn thông tin", "Cybersecurity drill", "digital"),
]


def load_reference_data():
    modules = sa.table(
        "modules", sa.column("id", sa.Integer), sa.column("code", sa.String),
        sa.column("name_vi", sa.String), sa.column("name_en", sa.String),
        sa.column("group", sa.String), sa.column("pass_score", sa.Integer),
        sa.column("sort_order", sa.Integer),
    )
    levels = sa.table(
        "certificate_levels", sa.column("id", sa.Integer), sa.column("code", sa.String),
        sa.column("name_vi", sa.String), sa.column("name_en", sa.String),
        sa.column("rank", sa.Integer), sa.column("min_electives", sa.Integer),
        sa.column("prerequisite_id", sa.Integer),
    )
    level_modules = sa.table(
        "level_modules", sa.column("level_id", sa.Integer), sa.column("module_id", sa.Integer),
        sa.column("required", sa.Boolean),
    )
    op.bulk_insert(modules, [
        {"id": i, "code": code, "name_vi": vi, "name_en": en, "group": group,
         "pass_score": 50, "sort_order": i}
        for i, (code, vi, en, group) in enumerate(MODULES, start=1)
    ])
    op.bulk_insert(levels, [
        {"id": 1, "code": "basic", "name_vi": "Chuẩn kỹ năng sử dụng CNTT cơ bản",
         "name_en": "Basic IT skills", "rank": 1, "min_electives": 0, "prerequisite_id": None},
        {"id": 2, "code": "advanced", "name_vi": "Chuẩn kỹ năng sử dụng CNTT nâng cao",
         "name_en": "Advanced IT skills", "rank": 2, "min_electives": 3, "prerequisite_id": 1},
    ])
    op.bulk_insert(level_modules,
        [{"level_id": 1, "module_id": i, "required": True} for i in range(1, 7)]
        + [{"level_id": 2, "module_id": i, "required": False} for i in range(7, 16)])
    if op.get_bind().dialect.name == "postgresql":
        # explicit ids above: move the sequences past them
        op.execute("SELECT setval('modules_id_seq', (SELECT max(id) FROM modules))")
        op.execute("SELECT setval('certificate_levels_id_seq', (SELECT max(id) FROM certificate_levels))")


def upgrade():

    op.create_table('certificate_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_vi', sa.String(length=255), nullable=False),
    sa.Column('name_en', sa.String(length=255), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('min_electives', sa.Integer(), nullable=False),
    sa.Column('prerequisite_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['prerequisite_id'], ['certificate_levels.id'], name=op.f('fk_certificate_levels_prerequisite_id_certificate_levels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_levels')),
    sa.UniqueConstraint('code', name=op.f('uq_certificate_levels_code'))
    )
    op.create_table('certificate_sequences',
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'year', name=op.f('pk_certificate_sequences'))
    )
    op.create_table('modules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name_vi', sa.String(length=255), nullable=False),
    sa.Column('name_en', sa.String(length=255), nullable=False),
    sa.Column('group', sa.String(length=16), nullable=False),
    sa.Column('pass_score', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_modules')),
    sa.UniqueConstraint('code', name=op.f('uq_modules_code'))
    )
    op.create_table('level_modules',
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['level_id'], ['certificate_levels.id'], name=op.f('fk_level_modules_level_id_certificate_levels')),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_level_modules_module_id_modules')),
    sa.PrimaryKeyConstraint('level_id', 'module_id', name=op.f('pk_level_modules'))
    )
    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['level_id'], ['certificate_levels.id'], name=op.f('fk_targets_level_id_certificate_levels')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_targets_org_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('org_unit_id', 'level_id', 'year', name=op.f('uq_targets_org_unit_id'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_org_unit_id'), ['org_unit_id'], unique=False)

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('issuer_key', sa.String(length=255), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('external', sa.Boolean(), nullable=False),
    sa.Column('verification_code', sa.String(length=32), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('printed_name', sa.String(length=255), nullable=False),
    sa.Column('printed_unit', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revoked_reason', sa.String(length=500), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users')),
    sa.ForeignKeyConstraint(['level_id'], ['certificate_levels.id'], name=op.f('fk_certificates_level_id_certificate_levels')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_certificates_staff_id_staff')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['certificates.id'], name=op.f('fk_certificates_superseded_by_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('issuer_key', 'number', name=op.f('uq_certificates_issuer_key')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_certificates_verification_code'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_level_id'), ['level_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_staff_id'), ['staff_id'], unique=False)

    op.create_table('results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_results_module_id_modules')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_results_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_results_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_results'))
    )
    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_results_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_results_staff_id'), ['staff_id'], unique=False)



    load_reference_data()


def downgrade():

    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_results_staff_id'))
        batch_op.drop_index(batch_op.f('ix_results_module_id'))

    op.drop_table('results')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_staff_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_number'))
        batch_op.drop_index(batch_op.f('ix_certificates_level_id'))

    op.drop_table('certificates')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_org_unit_id'))

    op.drop_table('targets')
    op.drop_table('level_modules')
    op.drop_table('modules')
    op.drop_table('certificate_sequences')
    op.drop_table('certificate_levels')

