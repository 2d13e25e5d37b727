"""now_playing: the song each user's music app reports playing (Subsonic getNowPlaying)

Revision ID: 0017_now_playing
Revises: 0016_app_passwords
Create Date: 2026-12-06 16:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017_now_playing"
down_revision = "0016_app_passwords"
branch_labels = None
depends_on = None


def upgrade():
    """Add the now_playing table."""
    op.create_table(
        "now_playing",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("song_id", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["song_id"], ["song.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "client"),
    )
    op.create_index("ix_now_playing_reported", "now_playing", ["reported_at"])
    op.create_index("ix_now_playing_song_id", "now_playing", ["song_id"])


def downgrade():
    """Drop the now_playing table."""
    op.drop_index("ix_now_playing_song_id", table_name="now_playing")
    op.drop_index("ix_now_playing_reported", table_name="now_playing")
    op.drop_table("now_playing")
