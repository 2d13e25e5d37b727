"""The catalog's figures for the home page (songs, playing time, storage, albums, authors;
songs per genre, decade and author), kept as counters in `catalog_tally`.

Aggregating a million songs costs most of a second, so the counters move with every change
instead, in the same transaction: two flush hooks compare the affected songs as the
database holds them before the flush with the same songs after it, and add the difference
with SQL increments (upserts), so two requests committing at once never lose a count.
Whatever door a change comes by (forms, bulk actions, the APIs, imports, CLI commands) it
flushes through the ORM. ORM bulk statements (`session.execute(insert(Song), rows)`) pass no
flush: one that can move a figure has the counters recounted before its commit. Rows written
behind the ORM (app/demo/scale.py, plain SQL) call `rebuild`, or `flask catalog recount`.
"""

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import (
    BigInteger,
    Connection,
    bindparam,
    cast,
    delete,
    func,
    inspect,
    literal,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models.catalog import Album, Author, Song
from app.models.tallies import ALBUMS, AUTHOR, AUTHORS, DECADE, GENRE, TOTAL, CatalogTally

#: What a song's share of the figures depends on (its album's year and author too).
SONG_FIELDS = ("genre", "year", "duration", "file_size", "album", "album_id")
ALBUM_FIELDS = ("release_year", "author", "author_id")
#: session.info key: the affected songs as the database held them before this flush.
BEFORE = "catalog_tally_before"
#: session.info key: a bulk statement changed what the counters count; recount at commit.
STALE = "catalog_tally_stale"
#: Table -> the columns a bulk UPDATE must touch to move a figure (inserts and deletes always do).
COUNTED_COLUMNS = {
    Song.__tablename__: {"genre", "year", "duration", "file_size", "album_id"},
    Album.__tablename__: {"release_year", "author_id"},
    Author.__tablename__: set(),
}
#: Ids per IN list (SQLite allows some thousands of parameters a statement).
CHUNK = 1000

Key = tuple[str, str, int]


def milliseconds(seconds: float | None) -> int:
    """A song's length in whole milliseconds (unknown counts as none)."""
    return round(seconds * 1000) if seconds else 0


def genre_label(column):
    """A song's genre as tallied: an empty genre is no genre (""), as the forms store it."""
    return func.coalesce(func.nullif(column, ""), "")


def decade_of(year):
    """The decade of a year expression: whole numbers on both databases."""
    return year - year % 10


def song_shares(session: Session, song_ids: Iterable[int]) -> dict[int, tuple]:
    """{id: (genre, decade or None, author id, ms, bytes)} of these songs as the database
    holds them now (songs that are not there are left out)."""
    year = func.coalesce(Song.year, Album.release_year)
    query = select(
        Song.id,
        genre_label(Song.genre),
        decade_of(year),
        Album.author_id,
        Song.duration,
        Song.file_size,
    ).join(Album, Album.id == Song.album_id)
    ids, shares = sorted(song_ids), {}
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(query.where(Song.id.in_(ids[start : start + CHUNK])))
        for song_id, genre, decade, author_id, seconds, size in rows:
            shares[song_id] = (genre, decade, author_id, milliseconds(seconds), size or 0)
    return shares


def changed(instance, fields) -> bool:
    """Whether this flush writes a new value to one of the fields."""
    attrs = inspect(instance).attrs
    return any(attrs[field].history.has_changes() for field in fields)


def note_before(session: Session, _flush_context=None, _instances=None) -> None:
    """Before a flush: read the songs it may move from one figure to another (songs changed
    or deleted, songs of albums given another year or author) as they are now."""
    song_ids, album_ids = set(), set()
    for instance in session.dirty:
        if isinstance(instance, Song) and changed(instance, SONG_FIELDS):
            song_ids.add(instance.id)
        elif isinstance(instance, Album) and changed(instance, ALBUM_FIELDS):
            album_ids.add(instance.id)
    song_ids.update(row.id for row in session.deleted if isinstance(row, Song))
    if album_ids:
        # Their songs, without loading them: an album's year or author moves all of them.
        ids = sorted(album_ids)
        for start in range(0, len(ids), CHUNK):
            on_albums = select(Song.id).where(Song.album_id.in_(ids[start : start + CHUNK]))
            song_ids.update(session.scalars(on_albums))
    session.info[BEFORE] = song_shares(session, song_ids) if song_ids else {}


def count_after(session: Session, _flush_context=None) -> None:
    """After a flush (same transaction): add to the counters what it changed, comparing the
    songs read before it with the same songs (and new ones) now."""
    before = session.info.pop(BEFORE, {})
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    new_ids = {row.id for row in session.new if isinstance(row, Song)}
    after = song_shares(session, before.keys() | new_ids) if before or new_ids else {}
    for sign, shares in ((-1, before), (1, after)):
        for share in shares.values():
            add_song(deltas, share, sign)
    for model, kind in ((Album, ALBUMS), (Author, AUTHORS)):
        made = sum(isinstance(row, model) for row in session.new)
        gone = sum(isinstance(row, model) for row in session.deleted)
        deltas[(kind, "", 0)][0] += made - gone
    add(session.connection(), deltas)
    gone_authors = [row.id for row in session.deleted if isinstance(row, Author)]
    if gone_authors:
        # An author goes only without albums, so with no songs: its row would stay at zero.
        session.connection().execute(
            delete(CatalogTally).where(
                CatalogTally.kind == AUTHOR,
                CatalogTally.number.in_(gone_authors),
                CatalogTally.amount == 0,
            )
        )


def note_bulk(state) -> None:
    """An ORM bulk INSERT, UPDATE or DELETE of songs, albums or authors (no flush sees it):
    mark the counters for a recount before the commit. Updates of columns no figure counts
    (the loudness jobs') leave them be: a recount reads every song."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    counted = COUNTED_COLUMNS.get(getattr(state.statement.table, "name", None))
    if counted is None:
        return
    if state.is_update and not counted & updated_columns(state):
        return
    state.session.info[STALE] = True


def updated_columns(state) -> set[str]:
    """The column names a bulk UPDATE sets: its VALUES, or the keys of its rows (by primary
    key); every name when neither says (a recount is the safe answer)."""
    names = {getattr(column, "key", column) for column in state.statement._values or {}}
    rows = state.parameters
    if isinstance(rows, list | tuple) and rows:
        names.update(rows[0])
    elif isinstance(rows, dict):
        names.update(rows)
    return names or set().union(*COUNTED_COLUMNS.values())


def recount_if_stale(session: Session) -> None:
    """Before a commit: recount the figures if a bulk statement of this transaction moved
    some (in the same transaction, so the commit holds both)."""
    if session.info.pop(STALE, False):
        rebuild(session.connection())


def forget_stale(session: Session, _previous_transaction=None) -> None:
    """After a rollback: the bulk statements are undone, so the counters stay right."""
    session.info.pop(STALE, None)


def add_song(deltas: dict[Key, list[int]], share: tuple, sign: int) -> None:
    """Count one song (sign 1) or take it away (sign -1) in every figure it belongs to."""
    genre, decade, author_id, ms, size = share
    keys = [(TOTAL, "", 0), (GENRE, genre, 0), (AUTHOR, "", author_id)]
    if decade is not None:
        keys.append((DECADE, "", decade))
    for key in keys:
        counts = deltas[key]
        counts[0] += sign
        counts[1] += sign * ms
        counts[2] += sign * size


def add(connection: Connection, deltas: dict[Key, list[int]]) -> None:
    """Add the deltas to their counters (created at zero when missing) in one statement
    per flush, in key order: concurrent transactions lock the rows in the same order."""
    rows = [
        {"kind": kind, "label": label, "number": number, "amount": n, "playing_ms": ms,
         "stored_bytes": size}
        for (kind, label, number), (n, ms, size) in sorted(deltas.items())
        if n or ms or size
    ]  # fmt: skip
    if not rows:
        return
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[connection.dialect.name]
    statement = dialect.insert(CatalogTally)
    added = statement.excluded
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["kind", "label", "number"],
            set_={
                "amount": CatalogTally.amount + added.amount,
                "playing_ms": CatalogTally.playing_ms + added.playing_ms,
                "stored_bytes": CatalogTally.stored_bytes + added.stored_bytes,
            },
        ),
        rows,
    )


#: Model -> the counter of its rows (the catalog's lists count the whole table from it).
WHOLE_TABLE = {Song: TOTAL, Album: ALBUMS, Author: AUTHORS}


def whole_count(session: Session, model) -> int | None:
    """How many rows the catalog table holds, from its counter (exact while every write goes
    through the ORM; `rebuild` after others); None for a table without one."""
    kind = WHOLE_TABLE.get(model)
    if kind is None:
        return None
    return session.scalar(WHOLE_COUNT, {"kind": kind}) or 0


#: whole_count's statement, built once: building it cost as much as running it (every list
#: page asks).
WHOLE_COUNT = select(CatalogTally.amount).where(
    CatalogTally.kind == bindparam("kind"), CatalogTally.label == "", CatalogTally.number == 0
)


def rebuild(connection: Connection) -> None:
    """Count every figure again from the songs, albums and authors (after rows written in
    bulk SQL or edited by hand; the caller commits)."""
    if connection.dialect.name == "postgresql":
        # Changes committing meanwhile wait, then add to the new counts: none is lost.
        connection.execute(text("LOCK TABLE catalog_tally IN EXCLUSIVE MODE"))
    connection.execute(delete(CatalogTally))
    columns = ["kind", "label", "number", "amount", "playing_ms", "stored_bytes"]
    for query in recount_queries():
        connection.execute(CatalogTally.__table__.insert().from_select(columns, query))


def recount_queries() -> list:
    """SELECTs of every counter's row, grouped over the whole catalog."""
    ms = func.coalesce(func.sum(cast(func.round(Song.duration * 1000), BigInteger)), 0)
    size = func.coalesce(func.sum(Song.file_size), 0)
    year = func.coalesce(Song.year, Album.release_year)
    genre, decade = genre_label(Song.genre), decade_of(year)

    def songs_by(kind: str, label, number):
        return select(literal(kind), label, number, func.count(), ms, size).select_from(Song)

    def rows_of(kind: str, model):
        counted = select(literal(kind), literal(""), literal(0), func.count(), literal(0))
        return counted.add_columns(literal(0)).select_from(model)

    on_albums = Album.id == Song.album_id
    return [
        songs_by(TOTAL, literal(""), literal(0)),
        songs_by(GENRE, genre, literal(0)).group_by(genre),
        songs_by(DECADE, literal(""), decade)
        .join(Album, on_albums)
        .where(year.is_not(None))
        .group_by(decade),
        songs_by(AUTHOR, literal(""), Album.author_id)
        .join(Album, on_albums)
        .group_by(Album.author_id),
        rows_of(ALBUMS, Album),
        rows_of(AUTHORS, Author),
    ]
