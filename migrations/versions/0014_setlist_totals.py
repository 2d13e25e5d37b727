"""setlist.entry_count and setlist.playing_ms: a setlist's size kept on its row, so lists and
pages read it instead of summing every entry on each request

Revision ID: 0014_setlist_totals
Revises: 0013_setlist_shares
Create Date: 2026-12-06 16:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014_setlist_totals"
down_revision = "0013_setlist_shares"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "setlist",
        sa.Column("entry_count", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column(
        "setlist",
        sa.Column("playing_ms", sa.BigInteger(), server_default="0", nullable=False),
    )
    # Once, over every setlist: from here on each change keeps the two up to date.
    op.execute(
        "UPDATE setlist SET "
        "entry_count = (SELECT count(*) FROM setlist_entry "
        "WHERE setlist_entry.setlist_id = setlist.id), "
        "playing_ms = (SELECT coalesce(sum(CAST(round(song.duration * 1000) AS BIGINT)), 0) "
        "FROM setlist_entry JOIN song ON song.id = setlist_entry.song_id "
        "WHERE setlist_entry.setlist_id = setlist.id)"
    )


def downgrade():
    op.drop_column("setlist", "playing_ms")
    op.drop_column("setlist", "entry_count")
