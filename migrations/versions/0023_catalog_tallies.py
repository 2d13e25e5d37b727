"""catalog_tally: the home page's figures (songs, playing time, storage, albums, authors;
songs per genre, decade and author) kept as counters by every change, counted once here

Revision ID: 0023_catalog_tallies
Revises: 0022_album_loudness_player_sound
Create Date: 2026-12-07 03:00:00

"""

# The SQL below is built from our own fragments, no outside input.
# ruff: noqa: S608
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023_catalog_tallies"
down_revision = "0022_album_loudness_player_sound"
branch_labels = None
depends_on = None

COLUMNS = "kind, label, number, amount, playing_ms, stored_bytes"
SONG_SUMS = (
    "count(*), coalesce(sum(CAST(round(song.duration * 1000) AS BIGINT)), 0), "
    "coalesce(sum(song.file_size), 0)"
)
YEAR = "coalesce(song.year, album.release_year)"
DECADE = f"({YEAR} - {YEAR} % 10)"
GENRE = "coalesce(nullif(song.genre, ''), '')"
#: Every counter, grouped over the catalog as it is (app/catalog_tallies.py recount_queries).
FILLS = (
    f"SELECT 'total', '', 0, {SONG_SUMS} FROM song",
    f"SELECT 'genre', {GENRE}, 0, {SONG_SUMS} FROM song GROUP BY {GENRE}",
    f"SELECT 'decade', '', {DECADE}, {SONG_SUMS} FROM song "
    f"JOIN album ON album.id = song.album_id WHERE {YEAR} IS NOT NULL GROUP BY {DECADE}",
    f"SELECT 'author', '', album.author_id, {SONG_SUMS} FROM song "
    "JOIN album ON album.id = song.album_id GROUP BY album.author_id",
    "SELECT 'albums', '', 0, count(*), 0, 0 FROM album",
    "SELECT 'authors', '', 0, count(*), 0, 0 FROM author",
)


def upgrade():
    """Create the counters and count the catalog once: from here on each change keeps them."""
    op.create_table(
        "catalog_tally",
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("playing_ms", sa.BigInteger(), nullable=False),
        sa.Column("stored_bytes", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "label", "number"),
    )
    op.create_index(
        "ix_catalog_tally_top",
        "catalog_tally",
        ["kind", sa.text("amount DESC"), "number", "label"],
    )
    for fill in FILLS:
        op.execute(f"INSERT INTO catalog_tally ({COLUMNS}) {fill}")


def downgrade():
    """Drop the counters (the home page would aggregate every song again)."""
    op.drop_index("ix_catalog_tally_top", table_name="catalog_tally")
    op.drop_table("catalog_tally")
