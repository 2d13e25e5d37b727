"""song: loudness (EBU R128 / ReplayGain 2.0) and waveform, written by the "loudness" job

Revision ID: 0021_song_loudness
Revises: 0020_jobs
Create Date: 2026-12-06 20:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021_song_loudness"
down_revision = "0020_jobs"
branch_labels = None
depends_on = None

FLOATS = ("loudness_lufs", "loudness_range", "true_peak_db", "track_gain_db", "track_peak")


def upgrade():
    """Add the song's loudness columns and its waveform (all empty until analysed)."""
    for name in FLOATS:
        op.add_column("song", sa.Column(name, sa.Float(), nullable=True))
    op.add_column("song", sa.Column("waveform", sa.LargeBinary(), nullable=True))


def downgrade():
    """Drop them again (in a batch: SQLite rebuilds the table)."""
    with op.batch_alter_table("song") as batch:
        batch.drop_column("waveform")
        for name in reversed(FLOATS):
            batch.drop_column(name)
