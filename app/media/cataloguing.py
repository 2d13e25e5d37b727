"""Filling songs, albums and authors from an audio file's (untrusted) tags."""

from pathlib import PurePosixPath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.media.audio import AudioInfo, parse_number
from app.media.covers import image_kind
from app.media.storage import FileStore
from app.models import Album, Author, Song
from app.models.catalog import DISC_MAX, DISC_MIN, TRACK_MAX, TRACK_MIN


def find_or_create_album(session: Session, artist: str, title: str, year: int | None) -> Album:
    """The author's album of that title (case-insensitive), created with the author if new."""
    author = session.scalar(select(Author).where(func.lower(Author.name) == artist.lower()))
    if author is None:
        author = Author(name=artist)
        session.add(author)
    else:
        album = session.scalar(
            select(Album).where(Album.author == author, func.lower(Album.title) == title.lower())
        )
        if album is not None:
            return album
    album = Album(title=title, author=author, release_year=year)
    session.add(album)
    return album


def album_named_by(tags: dict[str, str]) -> tuple[str, str] | None:
    """The (artist, album) a file's tags name, if both are there."""
    artist, album = tags.get("artist", "").strip(), tags.get("album", "").strip()
    return (artist[:150], album[:200]) if artist and album else None


def fill_song_from_tags(song: Song, info: AudioInfo, original_name: str) -> None:
    """Fill the song's empty fields from the tags; the title falls back to the file name."""
    tags = info.tags
    if not song.title:
        song.title = tags.get("title") or PurePosixPath(original_name).stem or original_name
    if song.track_number is None:
        song.track_number = parse_number(tags.get("track"), TRACK_MIN, TRACK_MAX)
    if song.disc_number is None:
        song.disc_number = parse_number(tags.get("disc"), DISC_MIN, DISC_MAX)
    if song.year is None:
        song.year = parse_number(tags.get("year"), 1000, 2999)
    if not song.genre and tags.get("genre"):
        song.genre = tags["genre"][:100]


def adopt_cover(album: Album, info: AudioInfo, covers: FileStore) -> str | None:
    """Store the file's embedded cover for an album that has none; return its stored name."""
    if album.cover_file or not info.cover:
        return None
    kind = image_kind(info.cover)
    if kind is None:
        return None
    extension, mime_type = kind
    album.cover_file = covers.save_bytes(info.cover, extension)
    album.cover_mime_type = mime_type
    return album.cover_file
