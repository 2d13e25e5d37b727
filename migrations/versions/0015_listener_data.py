"""song_mark, album_mark, author_mark, song_play: each listener's favourites, ratings and plays

Revision ID: 0015_listener_data
Revises: 0014_setlist_totals
Create Date: 2026-12-06 16:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_listener_data"
down_revision = "0014_setlist_totals"
branch_labels = None
depends_on = None

#: Mark table -> (its item column, the catalog table it marks).
MARKS = {
    "song_mark": ("song_id", "song"),
    "album_mark": ("album_id", "album"),
    "author_mark": ("author_id", "author"),
}


def upgrade():
    for table, (item, target) in MARKS.items():
        op.create_table(
            table,
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.Column(item, sa.Integer(), nullable=False),
            sa.Column("starred_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("rating", sa.Integer(), nullable=True),
            sa.CheckConstraint(
                "rating IS NULL OR rating BETWEEN 1 AND 5", name=f"ck_{table}_rating"
            ),
            sa.CheckConstraint(
                "starred_at IS NOT NULL OR rating IS NOT NULL", name=f"ck_{table}_kept"
            ),
            sa.ForeignKeyConstraint([item], [f"{target}.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("user_id", item),
        )
        op.create_index(f"ix_{table}_starred", table, ["user_id", "starred_at", item])
        op.create_index(f"ix_{table}_{item}", table, [item])
    op.create_table(
        "song_play",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("song_id", sa.Integer(), nullable=False),
        sa.Column("play_count", sa.Integer(), nullable=False),
        sa.Column("last_played_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("play_count >= 1", name="ck_song_play_count"),
        sa.ForeignKeyConstraint(["song_id"], ["song.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "song_id"),
    )
    op.create_index("ix_song_play_recent", "song_play", ["user_id", "last_played_at", "song_id"])
    op.create_index("ix_song_play_most", "song_play", ["user_id", "play_count", "song_id"])
    op.create_index("ix_song_play_song_id", "song_play", ["song_id"])


def downgrade():
    op.drop_table("song_play")
    for table in reversed(list(MARKS)):
        op.drop_table(table)
