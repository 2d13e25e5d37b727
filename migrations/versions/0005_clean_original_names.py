"""clean original file names: no control or invisible formatting characters

Names stored before the upload field removed them (CR, LF, NUL, a right-to-left
override) broke the Content-Disposition header of downloads.

Revision ID: 0005_clean_original_names
Revises: 0004_login_sessions
Create Date: 2026-11-22 01:10:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_clean_original_names'
down_revision = '0004_login_sessions'
branch_labels = None
depends_on = None

song = sa.table('song', sa.column('id', sa.Integer), sa.column('original_filename', sa.String))


def visible(name):
    """The name without control (Cc) or formatting (Cf) characters; "upload" if nothing is left."""
    kept = ''.join(c for c in name if unicodedata.category(c) not in ('Cc', 'Cf')).strip()
    return kept or 'upload'


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.select(song.c.id, song.c.original_filename)).all()
    for song_id, name in rows:
        if name is not None and visible(name) != name:
            connection.execute(
                song.update().where(song.c.id == song_id).values(original_filename=visible(name))
            )


def downgrade():
    # The removed characters were never meant to be there: nothing to restore.
    pass
