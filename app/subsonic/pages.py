"""A page of rows as Subsonic entries, with what the page needs read in bulk: the listener's
stars and ratings (one query per kind, app/listening/marks.py), albums' song counts and
lengths (one grouped query), authors' album counts (one grouped query). A page costs the
same few statements whatever its size (songs: one more per MAX_IDS of them)."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.listening.marks import MAX_IDS, Marked, marks_of
from app.models.catalog import Album, Author, Song
from app.models.listener_data import AuthorMark
from app.subsonic.shapes import (
    AlbumStats,
    SongsAlbum,
    album_child,
    album_id3,
    artist_id3,
    song_child,
)


def song_marks(session: Session, user_id: int, ids: list[int]) -> dict[int, Marked]:
    """The listener's marks on any number of songs, read MAX_IDS at a time (marks_of's
    bound)."""
    wanted = sorted(set(ids))
    marked: dict[int, Marked] = {}
    for start in range(0, len(wanted), MAX_IDS):
        marked |= marks_of(session, user_id, "song", wanted[start : start + MAX_IDS])
    return marked


def songs(session: Session, user_id: int, rows: list[Song]) -> list[dict]:
    """Songs as Subsonic children, starred and rated for the listener: any number of them
    (a 5,000-song playlist), each album's part of them made once."""
    marked = song_marks(session, user_id, [song.id for song in rows])
    albums: dict[int, SongsAlbum] = {}
    children = []
    for song in rows:
        album = albums.get(song.album_id)
        if album is None:
            album = albums[song.album_id] = SongsAlbum.of(song.album)
        children.append(song_child(song, marked.get(song.id), album))
    return children


def album_stats(session: Session, ids: list[int]) -> dict[int, AlbumStats]:
    """Each album's song count, total seconds, first upload and a genre, in one query."""
    if not ids:
        return {}
    rows = session.execute(
        select(
            Song.album_id,
            func.count(Song.id),
            func.coalesce(func.sum(Song.duration), 0.0),
            func.min(Song.uploaded_at),
            func.max(Song.genre),
        )
        .where(Song.album_id.in_(set(ids)))
        .group_by(Song.album_id)
    )
    return {row[0]: AlbumStats(row[1], row[2], row[3], row[4]) for row in rows}


def albums(session: Session, user_id: int, rows: list[Album], child: bool = False) -> list[dict]:
    """Albums as AlbumID3 entries (or directory children), starred and rated."""
    ids = [album.id for album in rows]
    stats = album_stats(session, ids)
    marked = marks_of(session, user_id, "album", ids)
    shape = album_child if child else album_id3
    return [shape(album, stats.get(album.id, AlbumStats()), marked.get(album.id)) for album in rows]


def album_counts(session: Session, ids: list[int] | None) -> dict[int, int]:
    """How many albums each author has (every author's count when `ids` is None)."""
    query = select(Album.author_id, func.count(Album.id)).group_by(Album.author_id)
    if ids is not None:
        if not ids:
            return {}
        query = query.where(Album.author_id.in_(set(ids)))
    return dict(session.execute(query).all())


def all_author_marks(session: Session, user_id: int) -> dict[int, Marked]:
    """Every author the listener starred or rated (for the whole artist index at once)."""
    rows = session.execute(
        select(AuthorMark.author_id, AuthorMark.starred_at, AuthorMark.rating).where(
            AuthorMark.user_id == user_id
        )
    )
    return {author: Marked(starred_at, rating) for author, starred_at, rating in rows}


def artists(session: Session, user_id: int, rows: list[Author]) -> list[dict]:
    """Authors as ArtistID3 entries with their album counts, starred and rated."""
    ids = [author.id for author in rows]
    counts = album_counts(session, ids)
    marked = marks_of(session, user_id, "author", ids)
    return [artist_id3(author, counts.get(author.id, 0), marked.get(author.id)) for author in rows]
