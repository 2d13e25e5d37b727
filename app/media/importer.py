"""Adding songs from audio files on disk: the bulk import and the demo catalog."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.media.audio import AudioInfo, NotAudio, inspect_audio, parse_number
from app.media.cataloguing import (
    adopt_cover,
    album_named_by,
    fill_song_from_tags,
    find_or_create_album,
)
from app.media.storage import FileStore, content_sha256, display_name, file_extension
from app.media.text import visible_text
from app.models import Album, Song

UNKNOWN_ARTIST, UNKNOWN_ALBUM = "Unknown artist", "Unknown album"


@dataclass
class ImportReport:
    """What a bulk import did with each file it found."""

    imported: list[Path] = field(default_factory=list)
    duplicates: list[Path] = field(default_factory=list)
    rejected: list[tuple[Path, str]] = field(default_factory=list)


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


def audio_files(root: Path, extensions) -> Iterator[Path]:
    """Files under a folder with an accepted extension, in a stable order."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and file_extension(path.name) in extensions:
            yield path


def add_song_from_file(
    session: Session,
    path: Path,
    info: AudioInfo,
    sha256: str,
    storages: tuple[FileStore, FileStore],
    album: Album | None = None,
    hints: PathHints | None = None,
    **fields,
) -> Song:
    """Store a checked file and commit a song for it (album from the tags when not given,
    else from where the file lies: `hints`).

    On any failure the stored files are removed again and the error is raised.
    """
    audio, covers = storages
    with path.open("rb") as stream:
        stored_name = audio.save(stream, path.name)
    cover_name = None
    try:
        song = Song(
            audio_file=stored_name,
            original_filename=display_name(path.name),
            sha256=sha256,
            file_size=path.stat().st_size,
            audio_format=info.format.name,
            mime_type=info.format.mime_type,
            duration=info.duration,
            bitrate=info.bitrate,
            sample_rate=info.sample_rate,
            channels=info.channels,
            uploaded_at=datetime.now(UTC),
            **fields,
        )
        hints = hints or PathHints()
        if not info.tags.get("title") and hints.title:
            song.title = hints.title
        if not info.tags.get("track") and hints.track:
            song.track_number = hints.track
        fill_song_from_tags(song, info, path.name)
        if album is None:
            artist, title = album_named_by(info.tags) or (
                info.tags.get("artist") or hints.artist or UNKNOWN_ARTIST,
                info.tags.get("album") or hints.album or UNKNOWN_ALBUM,
            )
            album = find_or_create_album(session, artist, title, song.year)
        song.album = album
        cover_name = adopt_cover(album, info, covers)
        session.add(song)
        session.commit()
    except BaseException:
        session.rollback()
        audio.delete(stored_name)
        covers.delete(cover_name)
        raise
    return song


def import_folder(
    session: Session,
    root: Path,
    storages: tuple[FileStore, FileStore],
    extensions,
    progress: Callable[[Path], None] = lambda path: None,
) -> ImportReport:
    """Import every audio file under a folder once; known content is skipped by hash."""
    report = ImportReport()
    for path in audio_files(root, extensions):
        progress(path)
        try:
            with path.open("rb") as stream:
                info = inspect_audio(stream, file_extension(path.name))
                sha256 = content_sha256(stream)
        except NotAudio as problem:
            report.rejected.append((path, str(problem)))
            continue
        except OSError as problem:
            report.rejected.append((path, problem.strerror or str(problem)))
            continue
        if session.scalar(select(Song.id).where(Song.sha256 == sha256).limit(1)):
            report.duplicates.append(path)
            continue
        hints = path_hints(path.relative_to(root))
        add_song_from_file(session, path, info, sha256, storages, hints=hints)
        report.imported.append(path)
    return report
