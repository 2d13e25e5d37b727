"""Adding songs from audio files on disk: the bulk import and the demo catalog."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from app.media.audio import AudioInfo
from app.media.cataloguing import (
    CheckedFile,
    DuplicateFile,
    FileRefused,
    PathHints,
    SongStores,
    add_song,
    check_file,
)
from app.media.placement import path_hints
from app.media.storage import display_name, file_extension
from app.models import Album, Song


@dataclass
class ImportReport:
    """What a bulk import did with each file it found."""

    imported: list[Path] = field(default_factory=list)
    #: (a file, the id of the song that has its content already)
    duplicates: list[tuple[Path, int]] = field(default_factory=list)
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
    storages: tuple,
    album: Album | None = None,
    hints: PathHints | None = None,
    **fields,
) -> Song:
    """Store a file checked by the caller and commit a song for it (album from the tags when
    not given, else from where the file lies: `hints`); see cataloguing.add_song."""
    checked = CheckedFile(info, sha256, path.stat().st_size, display_name(path.name))
    with path.open("rb") as stream:
        return add_song(session, stream, checked, SongStores(*storages), album, hints, **fields)


def import_folder(
    session: Session,
    root: Path,
    storages: tuple,
    extensions,
    progress: Callable[[Path], None] = lambda path: None,
) -> ImportReport:
    """Import every audio file under a folder once; known content is skipped by hash."""
    report = ImportReport()
    stores = SongStores(*storages)
    for path in audio_files(root, extensions):
        progress(path)
        try:
            stream = path.open("rb")
        except OSError as problem:
            report.rejected.append((path, problem.strerror or str(problem)))
            continue
        with stream:
            try:
                checked = check_file(session, stream, path.name, extensions)
            except DuplicateFile as duplicate:
                report.duplicates.append((path, duplicate.song.id))
                continue
            except FileRefused as problem:
                report.rejected.append((path, str(problem)))
                continue
            except OSError as problem:
                report.rejected.append((path, problem.strerror or str(problem)))
                continue
            add_song(session, stream, checked, stores, hints=path_hints(path.relative_to(root)))
        report.imported.append(path)
    return report
