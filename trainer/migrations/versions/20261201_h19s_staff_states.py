"""Staff states: the staff periods cut where the highest certificate level held changes
(``trainer/coverage/states.py``), the persons whose states are stale, and the triggers that
note them whoever writes periods, certificates or levels. The states of the data already
there are built here.

Revision ID: h19s00000001
Revises: h15n00000001
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

from trainer.coverage.states import rebuild

# revision identifiers, used by Alembic.
revision = 'h19s00000001'
down_revision = 'h15n00000001'
branch_labels = None
depends_on = None

#: table: the columns whose change changes the states
WATCHED = {
    'staff_periods': ('staff_id', 'valid_from', 'valid_to', 'org_unit_id', 'position',
                      'status', 'gender', 'ethnicity'),
    'certificates': ('staff_id', 'level_id', 'issued_on', 'status', 'revoked_on',
                     'expires_on'),
}


def _changed(columns):
    return ' OR '.join(f'OLD.{c} IS NOT NEW.{c}' for c in columns)


def _sqlite_triggers():
    for table, columns in WATCHED.items():
        yield (f'CREATE TRIGGER staff_states_{table}_insert AFTER INSERT ON {table} BEGIN '
               'INSERT OR IGNORE INTO staff_states_stale (staff_id) VALUES (NEW.staff_id); END')
        yield (f'CREATE TRIGGER staff_states_{table}_delete AFTER DELETE ON {table} BEGIN '
               'INSERT OR IGNORE INTO staff_states_stale (staff_id) VALUES (OLD.staff_id); END')
        yield (f'CREATE TRIGGER staff_states_{table}_update AFTER UPDATE OF {", ".join(columns)} '
               f'ON {table} WHEN {_changed(columns)} BEGIN '
               'INSERT OR IGNORE INTO staff_states_stale (staff_id) '
               'VALUES (OLD.staff_id), (NEW.staff_id); END')
    yield ('CREATE TRIGGER staff_states_certificate_levels_update AFTER UPDATE OF rank '
           'ON certificate_levels WHEN OLD.rank IS NOT NEW.rank BEGIN '
           'INSERT OR IGNORE INTO staff_states_stale (staff_id) '
           'SELECT staff_id FROM certificates WHERE level_id = NEW.id; END')


def _postgresql_triggers():
    # bulk inserts and deletes (COPY of the national seed, imports, the reform) note their
    # persons once per statement; updates are few and are noted per row
    yield ('CREATE FUNCTION staff_states_note_new() RETURNS trigger LANGUAGE plpgsql '
           'AS $$ BEGIN INSERT INTO staff_states_stale (staff_id) '
           'SELECT DISTINCT staff_id FROM new_rows ON CONFLICT DO NOTHING; '
           'RETURN NULL; END $$')
    yield ('CREATE FUNCTION staff_states_note_old() RETURNS trigger LANGUAGE plpgsql '
           'AS $$ BEGIN INSERT INTO staff_states_stale (staff_id) '
           'SELECT DISTINCT staff_id FROM old_rows ON CONFLICT DO NOTHING; '
           'RETURN NULL; END $$')
    yield ('CREATE FUNCTION staff_states_note_row() RETURNS trigger LANGUAGE plpgsql '
           'AS $$ BEGIN INSERT INTO staff_states_stale (staff_id) '
           'VALUES (OLD.staff_id), (NEW.staff_id) ON CONFLICT DO NOTHING; RETURN NULL; END $$')
    yield ('CREATE FUNCTION staff_states_note_level() RETURNS trigger LANGUAGE plpgsql '
           'AS $$ BEGIN INSERT INTO staff_states_stale (staff_id) '
           'SELECT DISTINCT staff_id FROM certificates WHERE level_id = NEW.id '
           'ON CONFLICT DO NOTHING; RETURN NULL; END $$')
    for table, columns in WATCHED.items():
        old = ', '.join(f'OLD.{c}' for c in columns)
        new = ', '.join(f'NEW.{c}' for c in columns)
        yield (f'CREATE TRIGGER staff_states_{table}_insert AFTER INSERT ON {table} '
               'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
               'EXECUTE FUNCTION staff_states_note_new()')
        yield (f'CREATE TRIGGER staff_states_{table}_delete AFTER DELETE ON {table} '
               'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
               'EXECUTE FUNCTION staff_states_note_old()')
        yield (f'CREATE TRIGGER staff_states_{table}_update AFTER UPDATE OF {", ".join(columns)} '
               f'ON {table} FOR EACH ROW WHEN (({old}) IS DISTINCT FROM ({new})) '
               'EXECUTE FUNCTION staff_states_note_row()')
    yield ('CREATE TRIGGER staff_states_certificate_levels_update AFTER UPDATE OF rank '
           'ON certificate_levels FOR EACH ROW WHEN (OLD.rank IS DISTINCT FROM NEW.rank) '
           'EXECUTE FUNCTION staff_states_note_level()')


def upgrade():
    op.create_table(
        'staff_states',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_to', sa.Date(), nullable=False),
        sa.Column('org_unit_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.String(length=32), nullable=False),
        sa.Column('gender', sa.String(length=16), nullable=True),
        sa.Column('ethnicity', sa.String(length=32), nullable=True),
        sa.Column('held_rank', sa.Integer(), nullable=True),
        sa.Column('change_on', sa.Date(), nullable=True),
        sa.Column('changed_rank', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'],
                                name=op.f('fk_staff_states_staff_id_staff'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_states')),
    )
    op.create_index('ix_staff_states_staff_id', 'staff_states', ['staff_id'])
    op.create_index('ix_staff_states_unit', 'staff_states',
                    ['org_unit_id', 'ethnicity', 'valid_from', 'valid_to', 'held_rank',
                     'change_on', 'changed_rank', 'gender', 'position'])
    op.create_table(
        'staff_states_stale',
        sa.Column('staff_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint('staff_id', name=op.f('pk_staff_states_stale')),
    )
    conn = op.get_bind()
    triggers = _postgresql_triggers if conn.dialect.name == 'postgresql' else _sqlite_triggers
    for statement in triggers():
        conn.exec_driver_sql(statement)
    rebuild(conn)


def downgrade():
    conn = op.get_bind()
    for table in (*WATCHED, 'certificate_levels'):
        for event in ('insert', 'delete', 'update'):
            conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS staff_states_{table}_{event}'
                                 + (f' ON {table}' if conn.dialect.name == 'postgresql' else ''))
    if conn.dialect.name == 'postgresql':
        for name in ('new', 'old', 'row', 'level'):
            conn.exec_driver_sql(f'DROP FUNCTION IF EXISTS staff_states_note_{name}()')
    op.drop_table('staff_states_stale')
    op.drop_index('ix_staff_states_unit', table_name='staff_states')
    op.drop_index('ix_staff_states_staff_id', table_name='staff_states')
    op.drop_table('staff_states')
