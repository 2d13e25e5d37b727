"""one song per file content, enforced by the database (admins may keep duplicates)

Revision ID: 0006_unique_song_content
Revises: 0005_clean_original_names
Create Date: 2026-11-22 01:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_unique_song_content'
down_revision = '0005_clean_original_names'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('song', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('kept_duplicate', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # Duplicates stored before (an admin's, or two uploads that raced): the oldest song of
    # each content stays the one that counts, the others become kept duplicates.
    op.execute(
        "UPDATE song SET kept_duplicate = TRUE WHERE sha256 IS NOT NULL AND id NOT IN "
        "(SELECT min(id) FROM song WHERE sha256 IS NOT NULL GROUP BY sha256)"
    )
    op.create_index(
        'uq_song_sha256_once',
        'song',
        ['sha256'],
        unique=True,
        sqlite_where=sa.text('kept_duplicate = 0'),
        postgresql_where=sa.text('NOT kept_duplicate'),
    )


def downgrade():
    op.drop_index('uq_song_sha256_once', table_name='song')
    with op.batch_alter_table('song', schema=None) as batch_op:
        batch_op.drop_column('kept_duplicate')
