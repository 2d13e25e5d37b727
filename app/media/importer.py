"""Adding songs from audio files on disk: the bulk import and the demo catalog."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.media.audio import AudioInfo, NotAudio, inspect_audio
from app.media.cataloguing import adopt_cover
from app.media.placement import PathHints, path_hints, place_song
from app.media.storage import FileStore, content_sha256, display_name, file_extension
from app.models import Album, Song


@dataclass
class ImportReport:
    """What a bulk import did with each file it found."""

    imported: list[Path] = field(default_factory=list)
    duplicates: list[Path] = field(default_factory=list)
    rejected: list[tuple[Path, str]] = field(default_factory=list)


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
        song.album = album
        place_song(session, song, info, path.name, hints)
        cover_name = adopt_cover(song.album, info, covers)
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
