"""album: ReplayGain album values; play_queue: the player's even volume and data saver

Revision ID: 0022_album_loudness_player_sound
Revises: 0021_song_loudness
Create Date: 2026-12-06 23:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022_album_loudness_player_sound"
down_revision = "0021_song_loudness"
branch_labels = None
depends_on = None

FLOATS = ("loudness_lufs", "true_peak_db", "album_gain_db", "album_peak")


def upgrade():
    """Add the album's loudness columns (empty until measured) and the player's settings."""
    for name in FLOATS:
        op.add_column("album", sa.Column(name, sa.Float(), nullable=True))
    op.add_column("album", sa.Column("loudness_key", sa.String(64), nullable=True))
    with op.batch_alter_table("play_queue") as batch:
        batch.add_column(
            sa.Column("even_volume", sa.String(5), nullable=False, server_default="off")
        )
        batch.add_column(
            sa.Column("data_saver", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_check_constraint(
            "ck_play_queue_even_volume", "even_volume IN ('off', 'track', 'album')"
        )


def downgrade():
    """Drop them again (in batches: SQLite rebuilds the tables)."""
    with op.batch_alter_table("play_queue") as batch:
        batch.drop_constraint("ck_play_queue_even_volume", type_="check")
        batch.drop_column("data_saver")
        batch.drop_column("even_volume")
    with op.batch_alter_table("album") as batch:
        batch.drop_column("loudness_key")
        for name in reversed(FLOATS):
            batch.drop_column(name)
