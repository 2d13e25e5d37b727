"""How catalog rows read in Subsonic answers: a Song as a "child", an Album as an "album"
(ID3) or a directory child, an Author as an "artist", per the 1.16.1 schema with the
OpenSubsonic fields Setlist has data for.

Plain functions of rows already loaded (a song with its album and author, as Song's joined
relationships load them) and of what the page's bulk reads found (app/subsonic/pages.py):
no function here queries the database. No stored file name ever appears: `path` is made
up from the tags ("Artist/Album/NN Title.ext").
"""

import mimetypes
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from app.listening.marks import Marked
from app.models.catalog import Album, Author, Song
from app.subsonic.ids import album_id, artist_id, song_id

#: An album's `created` is required by the schema; albums whose songs carry no upload time
#: (generated or imported before times were kept) say this.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Characters that would make a path component two (or an odd one) in a synthetic path.
PATH_UNSAFE = re.compile(r"[/\\\x00-\x1f]")
NO_MARK = Marked()


@dataclass(frozen=True)
class AlbumStats:
    """What an album's songs add up to (one grouped query per page reads them)."""

    song_count: int = 0
    seconds: float = 0.0
    created: datetime | None = None
    genre: str | None = None


def stamp(moment: datetime | None) -> str | None:
    """A time as Subsonic's xs:dateTime in UTC ("2026-12-06T16:25:45Z"), None stays None."""
    if moment is None:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def marks(marked: Marked | None) -> dict:
    """A row's `starred` and `userRating` for the listener (absent when unmarked)."""
    marked = marked or NO_MARK
    return {"starred": stamp(marked.starred_at), "userRating": marked.rating}


def suffix(song: Song) -> str:
    """The file's extension in lower case ("mp3"), from its format or its original name."""
    if song.audio_format:
        return song.audio_format.lower()
    # PurePath's suffix (none for ".hidden" or "name.") in a tenth of its time.
    name = (song.original_filename or "").rstrip("/").rpartition("/")[2]
    dot = name.rfind(".")
    return name[dot + 1 :].lower() if 0 < dot < len(name) - 1 else ""


def content_type(song: Song, extension: str | None = None) -> str:
    """The file's MIME type as stored, else guessed from its extension."""
    guessed = mimetypes.types_map.get(f".{extension or suffix(song)}")
    return song.mime_type or guessed or "application/octet-stream"


def safe(part: str) -> str:
    """A tag as one path component (no slashes, no control characters)."""
    return PATH_UNSAFE.sub("_", part).strip() or "_"


def synthetic_path(song: Song, extension: str | None = None, folder: str | None = None) -> str:
    """Where the song would sit in a tidy library: "Artist/Album/NN Title.ext" (`folder`:
    its "Artist/Album/" part, when already made)."""
    if folder is None:
        album = song.album
        folder = f"{safe(album.author.name)}/{safe(album.title)}/"
    number = f"{song.track_number:02d} " if song.track_number else ""
    disc = f"{song.disc_number}-" if song.disc_number and song.disc_number > 1 else ""
    name = f"{disc}{number}{safe(song.title)}"
    extension = extension or suffix(song)
    name = f"{name}.{extension}" if extension else name
    return f"{folder}{name}"


def artist_ref(author: Author) -> dict:
    """An OpenSubsonic ArtistID3 reference: id and name."""
    return {"id": artist_id(author.id), "name": author.name}


@dataclass(frozen=True, slots=True)
class SongsAlbum:
    """What every song of an album says alike, made once per album on a page of songs."""

    id: str
    title: str
    artist: str
    artist_id: str
    year: int | None
    folder: str
    artists: list

    @classmethod
    def of(cls, album: Album) -> "SongsAlbum":
        """The album's part of its songs' entries."""
        author = album.author
        folder = f"{safe(author.name)}/{safe(album.title)}/"
        return cls(
            album_id(album.id), album.title, author.name, artist_id(author.id),
            album.release_year, folder, [artist_ref(author)],
        )  # fmt: skip


def song_child(song: Song, marked: Marked | None = None, album: SongsAlbum | None = None) -> dict:
    """A song as a Subsonic Child (getSong, getAlbum's songs, search results, lists);
    `album`: its album's part, made once for a page's songs of that album."""
    album = album or SongsAlbum.of(song.album)
    extension = suffix(song)  # read once: a 5,000-song playlist asked it 15,000 times
    marked = marked or NO_MARK
    duration, bitrate, genre = song.duration, song.bitrate, song.genre
    return {
        "id": song_id(song.id),
        "parent": album.id,
        "isDir": False,
        "title": song.title,
        "album": album.title,
        "artist": album.artist,
        "track": song.track_number,
        "year": song.year or album.year,
        "genre": genre,
        "coverArt": album.id,
        "size": song.file_size,
        "contentType": content_type(song, extension),
        "suffix": extension,
        "duration": round(duration) if duration is not None else None,
        "bitRate": round(bitrate / 1000) if bitrate else None,
        "path": synthetic_path(song, extension, album.folder),
        "discNumber": song.disc_number,
        "created": stamp(song.uploaded_at),
        "albumId": album.id,
        "artistId": album.artist_id,
        "type": "music",
        "starred": stamp(marked.starred_at),
        "userRating": marked.rating,
        # OpenSubsonic.
        "mediaType": "song",
        "samplingRate": song.sample_rate,
        "channelCount": song.channels,
        "displayArtist": album.artist,
        "displayAlbumArtist": album.artist,
        "artists": album.artists,
        "albumArtists": album.artists,
        "genres": [{"name": genre}] if genre else [],
        "replayGain": replay_gain(song),
    }


def replay_gain(song: Song) -> dict | None:
    """OpenSubsonic's replayGain from the song's own columns and its album's (loaded with
    the song: no query); None until either is measured."""
    gains = {}
    if song.track_gain_db is not None:
        gains.update(trackGain=song.track_gain_db, trackPeak=song.track_peak)
    album = song.album
    if album.album_gain_db is not None:
        gains.update(albumGain=album.album_gain_db, albumPeak=album.album_peak)
    return gains or None


def album_id3(album: Album, stats: AlbumStats, marked: Marked | None = None) -> dict:
    """An album as an AlbumID3 (getAlbum, getArtist, getAlbumList2, search3)."""
    author = album.author
    return {
        "id": album_id(album.id),
        "name": album.title,
        "artist": author.name,
        "artistId": artist_id(author.id),
        "coverArt": album_id(album.id),
        "songCount": stats.song_count,
        "duration": round(stats.seconds),
        "created": stamp(stats.created or EPOCH),
        "year": album.release_year,
        "genre": stats.genre,
        **marks(marked),
        # OpenSubsonic.
        "displayArtist": author.name,
        "artists": [artist_ref(author)],
        "genres": [{"name": stats.genre}] if stats.genre else [],
        "isCompilation": False,
    }


def album_child(album: Album, stats: AlbumStats, marked: Marked | None = None) -> dict:
    """An album as a directory Child (getMusicDirectory of an artist, getAlbumList, search2)."""
    author = album.author
    return {
        "id": album_id(album.id),
        "parent": artist_id(author.id),
        "isDir": True,
        "title": album.title,
        "name": album.title,
        "album": album.title,
        "artist": author.name,
        "year": album.release_year,
        "genre": stats.genre,
        "coverArt": album_id(album.id),
        "duration": round(stats.seconds),
        "songCount": stats.song_count,
        "created": stamp(stats.created or EPOCH),
        "albumId": album_id(album.id),
        "artistId": artist_id(author.id),
        **marks(marked),
        "mediaType": "album",
    }


def artist_id3(author: Author, album_count: int, marked: Marked | None = None) -> dict:
    """An author as an ArtistID3 (getArtists, getArtist, search3) or an index Artist."""
    return {
        "id": artist_id(author.id),
        "name": author.name,
        "albumCount": album_count,
        **marks(marked),
        # OpenSubsonic.
        "mediaType": "artist",
        "sortName": author.name,
    }
