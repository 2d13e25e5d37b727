"""Where a new song goes and what it is called: its tags, else the folders it lay in and its
file name, else "Unknown".

One rule for every door a file comes in by (app/media/cataloguing.py calls it): `flask
catalog import` (the file's place under the imported folder), the multi-upload page (the
folder dropped or picked there, or the album chosen on the page), the add form and the API
(the file name alone).
"""

import re
from dataclasses import dataclass, replace
from pathlib import PurePath, PurePosixPath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.media.audio import AudioInfo, parse_number
from app.media.text import visible_text
from app.models import Album, Author, Song
from app.models.catalog import DISC_MAX, DISC_MIN, TRACK_MAX, TRACK_MIN

UNKNOWN_ARTIST, UNKNOWN_ALBUM = "Unknown artist", "Unknown album"
#: Longest relative path a browser may name for an upload (longer ones are cut).
MAX_RELATIVE_PATH = 1024
#: Folder names that say nothing of a file's place.
NO_PLACE = {"", ".", ".."}


@dataclass(frozen=True)
class PathHints:
    """What a file's place says when its tags are silent: Artist/Album/NN Title.ext."""

    artist: str | None = None
    album: str | None = None
    track: int | None = None
    title: str | None = None


#: "07 Title", "07 - Title", "07. Title", "07_Title": a track number, then the title.
NUMBERED_NAME = re.compile(
    r"^(?P<track>\d{1,3})\s*[-._]?\s+(?P<title>.+)$|^(?P<bare>\d{1,3})[-._](?P<rest>.+)$"
)


def path_hints(relative: PurePath) -> PathHints:
    """The artist and album folders above a file, and the track and title in its name."""
    # Folder names may hold what tags may (a newline, a right-to-left override): same rule.
    folders = [visible_text(part) for part in relative.parts[:-1]]
    stem = visible_text(PurePath(relative.name).stem).strip()
    track, title = None, stem or None
    if match := NUMBERED_NAME.match(stem):
        number, rest = match["track"] or match["bare"], match["title"] or match["rest"]
        track, title = parse_number(number, 1, 999), rest.strip() or None
    return PathHints(
        artist=folders[-2].strip()[:150] if len(folders) >= 2 else None,
        album=folders[-1].strip()[:200] if folders else None,
        track=track,
        title=title[:200] if title else None,
    )


def upload_hints(relative_path: str | None, filename: str) -> PathHints:
    """The hints of an uploaded file: the folders a browser names above it (a picked folder's
    `webkitRelativePath`, a dropped folder's entry path; untrusted text, never a path on disk)
    and its own name."""
    text = (relative_path or "")[:MAX_RELATIVE_PATH].replace("\\", "/")
    folders = [part for part in text.split("/")[:-1] if part.strip() not in NO_PLACE]
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    if not name.strip():  # no name to read a title from: the folders alone
        return replace(path_hints(PurePosixPath(*folders, "_")), track=None, title=None)
    return path_hints(PurePosixPath(*folders, name))


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


def album_names(tags: dict[str, str], hints: PathHints) -> tuple[str, str]:
    """(artist, album) for a file: as its tags name them, else each from its tags, its folders,
    or "Unknown"."""
    return album_named_by(tags) or (
        (tags.get("artist") or hints.artist or UNKNOWN_ARTIST)[:150],
        (tags.get("album") or hints.album or UNKNOWN_ALBUM)[:200],
    )


def place_song(
    session: Session,
    song: Song,
    info: AudioInfo,
    original_name: str,
    hints: PathHints | None = None,
) -> None:
    """Fill a new song's empty fields from its tags, else from where the file lay (`hints`; by
    default what its name says: "07 Title.mp3"), and give it an album when none was chosen."""
    hints = hints or upload_hints(None, original_name)
    tags = info.tags
    if not song.title and not tags.get("title") and hints.title:
        song.title = hints.title
    if song.track_number is None and not tags.get("track") and hints.track:
        song.track_number = hints.track
    fill_song_from_tags(song, info, original_name)
    if song.album is None:
        artist, title = album_names(tags, hints)
        song.album = find_or_create_album(session, artist, title, song.year)
