"""Staff name words: one row per accent-folded word of a name, for indexed prefix search.

Backfills the words of the staff already there. The folding (NFD, drop marks, đ → d, lower
case) is written out here so that the migration does not depend on app code.

Revision ID: 81babdaedde6
Revises: e50cfd30d23e
Create Date: 2026-11-28
"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '81babdaedde6'
down_revision = 'e50cfd30d23e'
branch_labels = None
depends_on = None


def fold(text):
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "d")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return text.lower()


def backfill():
    bind = op.get_bind()
    words = sa.table("staff_name_words", sa.column("word", sa.String),
                     sa.column("staff_id", sa.Integer))
    rows = []
    for staff_id, name in bind.execute(sa.text("SELECT id, full_name FROM staff")):
        words_of_name = {w[:64] for w in re.findall(r"\w+", fold(name))}
        rows += [{"word": w, "staff_id": staff_id} for w in sorted(words_of_name)]
    for start in range(0, len(rows), 10000):
        op.bulk_insert(words, rows[start:start + 10000])


def upgrade():
    op.create_table('staff_name_words',
    sa.Column('word', sa.String(length=64).with_variant(sa.String(length=64, collation='C'), 'postgresql'), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_name_words_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('word', 'staff_id', name=op.f('pk_staff_name_words'))
    )
    with op.batch_alter_table('staff_name_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_name_words_staff_id'), ['staff_id'], unique=False)
    backfill()



def downgrade():
    with op.batch_alter_table('staff_name_words', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_name_words_staff_id'))

    op.drop_table('staff_name_words')
