"""A whole setlist's songs in order, read for a long answer (a music app's playlist of
thousands of songs): the songs and their albums by key, in bounded batches.

Flask-free: callers pass a SQLAlchemy session.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from app.models.catalog import Album, Song
from app.models.setlists import SetlistEntry
from app.setlists.entries import ordered

#: Songs (and albums) are read by key this many at a time: bound parameters stay well
#: within every database's limit.
BATCH = 2500


def batches(ids: list[int]) -> list[list[int]]:
    """Ids in runs of BATCH."""
    return [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]


def ordered_songs(session: Session, setlist_id: int) -> list[Song]:
    """The setlist's songs in order, repeats kept, each with its album and author loaded.

    Ids from the order index, then each song once by key: a join of the whole setlist
    lets PostgreSQL hash the song table. No entry rows are built (for 5,000 songs they
    were a fifth of the time), and each album is read once, not joined to every song."""
    ids = select(SetlistEntry.song_id).where(SetlistEntry.setlist_id == setlist_id)
    in_order = list(session.scalars(ordered(ids)))
    found: dict[int, Song] = {}
    for batch in batches(sorted(set(in_order))):
        query = select(Song).where(Song.id.in_(batch)).options(lazyload(Song.album))
        found.update((song.id, song) for song in session.scalars(query))
    albums: dict[int, Album] = {}
    for batch in batches(sorted({song.album_id for song in found.values()})):
        rows = session.scalars(select(Album).where(Album.id.in_(batch)))
        albums.update((album.id, album) for album in rows)
    kept: dict[int, Song] = {}
    for song in found.values():
        if song.album_id in albums:
            set_committed_value(song, "album", albums[song.album_id])
            kept[song.id] = song
    # A song (or its album) deleted since the ids were read is left out.
    return [kept[song_id] for song_id in in_order if song_id in kept]
