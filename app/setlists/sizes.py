"""How long setlists are: songs and playing time, kept on each setlist's row.

Lists and pages show every setlist's size; summing its entries on each request costs as much
as the setlist is long (7 ms for 5,000 entries). So `entry_count` and `playing_ms` live on
the row, and one hook before every flush keeps them: entries added or deleted (by any door:
pages, API, undo, a song deleted from the catalog) and songs whose length changed. Changes
are written as SQL increments, so two requests adding to one setlist never lose a count.
"""

from collections import defaultdict

from sqlalchemy import BigInteger, Connection, cast, func, inspect, select, update
from sqlalchemy.orm import Session

from app.models.catalog import Song
from app.models.setlists import Setlist, SetlistEntry


def milliseconds(seconds: float | None) -> int:
    """A song's length in whole milliseconds (unknown counts as none)."""
    return round(seconds * 1000) if seconds else 0


def keep_totals(session: Session, _flush_context=None, _instances=None) -> None:
    """Before a flush: move each touched setlist's totals by what this flush adds and
    deletes, and every setlist holding a song whose length changed by the difference."""
    changed: dict[Setlist, list[int]] = defaultdict(lambda: [0, 0])
    # Read once: each read of session.deleted builds a new set (a 5,000-entry replace
    # asked it once per entry).
    deleted = session.deleted
    for sign, rows in ((1, session.new), (-1, deleted)):
        for entry in rows:
            if isinstance(entry, SetlistEntry):
                setlist = entry.setlist or session.get(Setlist, entry.setlist_id)
                song = entry.song or session.get(Song, entry.song_id)
                if setlist is None or setlist in deleted:
                    continue  # the setlist goes too: nothing left to keep
                changed[setlist][0] += sign
                changed[setlist][1] += sign * milliseconds(song.duration if song else None)
    for setlist, (count, ms) in changed.items():
        if setlist in session.new:  # not written yet: plain numbers
            setlist.entry_count = (setlist.entry_count or 0) + count
            setlist.playing_ms = (setlist.playing_ms or 0) + ms
        elif count or ms:
            setlist.entry_count = Setlist.entry_count + count
            setlist.playing_ms = Setlist.playing_ms + ms
    for song in session.dirty:
        if isinstance(song, Song):
            follow_length(session, song)


def follow_length(session: Session, song: Song) -> None:
    """Move the playing time of every setlist holding the song by its length's change, once
    per entry (one UPDATE, reading the entries by their song index)."""
    before, after = inspect(song).attrs.duration.history.deleted, song.duration
    if not before or milliseconds(before[0]) == milliseconds(after):
        return
    delta = milliseconds(after) - milliseconds(before[0])
    holding = (
        select(func.count(SetlistEntry.id))
        .where(SetlistEntry.setlist_id == Setlist.id, SetlistEntry.song_id == song.id)
        .scalar_subquery()
    )
    holders = select(SetlistEntry.setlist_id).where(SetlistEntry.song_id == song.id)
    session.connection().execute(
        update(Setlist)
        .where(Setlist.id.in_(holders))
        .values(playing_ms=Setlist.playing_ms + delta * holding)
        .execution_options(synchronize_session=False)
    )


def recount(connection: Connection | Session, where=None) -> None:
    """Set the totals of the setlists matching `where` (all when None) from their entries:
    for rows written in bulk SQL, which the flush hook does not see."""
    count = select(func.count(SetlistEntry.id)).where(SetlistEntry.setlist_id == Setlist.id)
    length = cast(func.round(Song.duration * 1000), BigInteger)
    ms = (
        select(func.coalesce(func.sum(length), 0))
        .select_from(SetlistEntry)
        .join(Song, Song.id == SetlistEntry.song_id)
        .where(SetlistEntry.setlist_id == Setlist.id)
    )
    statement = update(Setlist).values(
        entry_count=count.scalar_subquery(), playing_ms=ms.scalar_subquery()
    )
    if where is not None:
        statement = statement.where(where)
    connection.execute(statement.execution_options(synchronize_session=False))
