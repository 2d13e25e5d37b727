"""list sort indexes carry the id, so sorted pages are read from the index

Revision ID: 0007_sort_indexes
Revises: 0006_unique_song_content
Create Date: 2026-11-22 04:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007_sort_indexes'
down_revision = '0006_unique_song_content'
branch_labels = None
depends_on = None

#: (table, column) of every list sort column and of the foreign keys lists sort through
#: (songs by album title, albums by author name). Pages order by the column, then by id;
#: an index on the column alone made PostgreSQL sort every row for a deep page (60 ms at
#: 100,000 songs sorted by rating).
SORT_COLUMNS = [
    ('author', 'country'),
    ('album', 'release_year'),
    ('album', 'author_id'),
    ('song', 'track_number'),
    ('song', 'duration'),
    ('song', 'rating'),
    ('song', 'album_id'),
]


def upgrade():
    for table, column in SORT_COLUMNS:
        op.drop_index(f'ix_{table}_{column}', table_name=table)
        op.create_index(f'ix_{table}_{column}', table, [column, 'id'])


def downgrade():
    for table, column in SORT_COLUMNS:
        op.drop_index(f'ix_{table}_{column}', table_name=table)
        op.create_index(f'ix_{table}_{column}', table, [column])
