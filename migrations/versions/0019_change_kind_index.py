"""change(kind, id): the newest change of a kind read from an index end (the Subsonic artist
index and id pages are kept until the catalog's newest change moves)

Revision ID: 0019_change_kind_index
Revises: 0018_song_genre_indexes
Create Date: 2026-12-06 19:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019_change_kind_index'
down_revision = '0018_song_genre_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_change_kind', 'change', ['kind', 'id'])


def downgrade():
    op.drop_index('ix_change_kind', table_name='change')
