"""The tables and list queries both comparator pages (handwritten.py, samejob.py) run.

Setlist's own tables, declared by hand as a Flask + SQLAlchemy Core app would: the
catalog's three lists (one count, one joined page query ordered by the indexed sort keys,
paged through its ids) and the account tables the same-job page signs in against.
"""

from typing import NamedTuple

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    func,
    select,
)

PAGE_SIZE = 25

metadata = MetaData()
author = Table(
    "author",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String),
    Column("name_key", String),
    Column("country", String),
)
album = Table(
    "album",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String),
    Column("title_key", String),
    Column("release_year", Integer),
    Column("author_id", ForeignKey("author.id")),
)
song = Table(
    "song",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String),
    Column("title_key", String),
    Column("track_number", Integer),
    Column("duration", Float),
    Column("rating", Integer),
    Column("album_id", ForeignKey("album.id")),
)
user = Table(
    "ab_user",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String),
    Column("first_name", String),
    Column("last_name", String),
    Column("password", String),
    Column("active", Boolean),
)
login_session = Table(
    "login_session",
    metadata,
    Column("id", String, primary_key=True),
    Column("user_id", ForeignKey("ab_user.id")),
    Column("created_at", DateTime),
)
user_role = Table("ab_user_role", metadata, Column("user_id", Integer), Column("role_id", Integer))
permission_view_role = Table(
    "ab_permission_view_role",
    metadata,
    Column("permission_view_id", Integer),
    Column("role_id", Integer),
)
permission_view = Table(
    "ab_permission_view",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("permission_id", Integer),
    Column("view_menu_id", Integer),
)
permission = Table(
    "ab_permission", metadata, Column("id", Integer, primary_key=True), Column("name", String)
)
view_menu = Table(
    "ab_view_menu", metadata, Column("id", Integer, primary_key=True), Column("name", String)
)


class PagedQuery(NamedTuple):
    """A list's rows read a page at a time through an ids-only subquery: the deferred join a
    hand-written deep page uses (OFFSET skips index entries, not joined rows), as Setlist does."""

    rows: Select
    ids: Select

    def page(self, number: int) -> Select:
        """The rows of page `number` (1-based), in the list's order."""
        place = self.ids.limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
        return self.rows.where(self.ids.selected_columns[0].in_(place.scalar_subquery()))


def song_list(q: str | None):
    """(heading, labels, paged query, count query) of the song list, filtered by title."""
    rows = (
        select(
            song.c.title,
            album.c.title,
            author.c.name,
            song.c.track_number,
            song.c.duration,
            song.c.rating,
            album.c.id,
            author.c.id,
        )
        .join(album, song.c.album_id == album.c.id)
        .join(author, album.c.author_id == author.c.id)
        .order_by(song.c.title_key, song.c.id)
    )
    ids = select(song.c.id).order_by(song.c.title_key, song.c.id)
    count_query = select(func.count()).select_from(song)
    if q:
        # LIKE '%q%': case-insensitive for ASCII on SQLite, case-sensitive on PostgreSQL.
        ids = ids.where(song.c.title.contains(q, autoescape=True))
        count_query = count_query.where(song.c.title.contains(q, autoescape=True))
    labels = ["Title", "Album", "Author", "Track", "Duration", "Rating"]
    return "Songs", labels, PagedQuery(rows, ids), count_query


def album_list(_q: str | None = None):
    """(heading, labels, paged query, count query) of the album list."""
    rows = (
        select(album.c.title, author.c.name, album.c.release_year, album.c.id, author.c.id)
        .join(author, album.c.author_id == author.c.id)
        .order_by(album.c.title_key, album.c.id)
    )
    ids = select(album.c.id).order_by(album.c.title_key, album.c.id)
    count_query = select(func.count()).select_from(album)
    return "Albums", ["Title", "Author", "Release year"], PagedQuery(rows, ids), count_query


def author_list(_q: str | None = None):
    """(heading, labels, paged query, count query) of the author list."""
    rows = select(author.c.name, author.c.country).order_by(author.c.name_key, author.c.id)
    ids = select(author.c.id).order_by(author.c.name_key, author.c.id)
    count_query = select(func.count()).select_from(author)
    return "Authors", ["Name", "Country"], PagedQuery(rows, ids), count_query


def fetch(connection, query: PagedQuery, count_query, page: int) -> tuple[int, list, int]:
    """(count, the page's rows, pages) of a list."""
    count = connection.scalar(count_query)
    rows = connection.execute(query.page(page)).all()
    return count, rows, max((count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
