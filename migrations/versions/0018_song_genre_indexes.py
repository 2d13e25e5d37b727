"""song(genre, id) and song(genre, album_id): a genre's songs and albums read from an index
(Subsonic's getSongsByGenre, getRandomSongs by genre, getAlbumList2 byGenre)

Revision ID: 0018_song_genre_indexes
Revises: 0017_now_playing
Create Date: 2026-12-06 17:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018_song_genre_indexes'
down_revision = '0017_now_playing'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_song_genre', 'song', ['genre', 'id'])
    op.create_index('ix_song_genre_album', 'song', ['genre', 'album_id'])


def downgrade():
    op.drop_index('ix_song_genre_album', table_name='song')
    op.drop_index('ix_song_genre', table_name='song')
