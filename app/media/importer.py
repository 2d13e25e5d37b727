"""`flask catalog import`: every audio file under a folder, down the one road of
app/media/cataloguing.py, its place in the folder telling what its tags do not."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from app.media.cataloguing import DuplicateFile, FileRefused, SongStores, add_song, check_file
from app.media.file_store import file_extension
from app.media.placement import path_hints


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
