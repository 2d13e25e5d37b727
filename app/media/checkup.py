"""Do the files on disk and the rows in the database agree?"""

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.media.storage import COPY_CHUNK_BYTES, AudioStorage
from app.models import Album, Song

QUARANTINE_FOLDER = "quarantine"


@dataclass
class FileCheck:
    """Files nobody refers to, rows whose file is gone, files whose content changed."""

    orphans: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Whether disk and database agree completely."""
        return not (self.orphans or self.missing or self.mismatched)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file on disk, read in bounded chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(COPY_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def check_files(session: Session, audio: AudioStorage, covers: AudioStorage) -> FileCheck:
    """Compare the upload folder with the songs' and albums' stored names and hashes."""
    result = FileCheck()
    songs = session.execute(select(Song.id, Song.title, Song.audio_file, Song.sha256)).all()
    cover_names = set(
        session.scalars(select(Album.cover_file).where(Album.cover_file.is_not(None)))
    )
    on_disk = audio.stored_names()
    for song_id, title, stored_name, sha256 in songs:
        label = f"song {song_id} “{title}” ({stored_name})"
        if stored_name not in on_disk:
            result.missing.append(label)
        elif sha256 and file_sha256(audio.path_for(stored_name)) != sha256:
            result.mismatched.append(label)
    referenced = {row.audio_file for row in songs}
    result.orphans += [audio.path_for(name) for name in sorted(on_disk - referenced)]
    result.orphans += [covers.path_for(n) for n in sorted(covers.stored_names() - cover_names)]
    result.missing += [
        f"album cover {name}" for name in sorted(cover_names - covers.stored_names())
    ]
    return result


def quarantine(orphans: list[Path], folder: Path) -> list[Path]:
    """Move orphaned files into a quarantine folder (never delete); return where they went."""
    folder.mkdir(parents=True, exist_ok=True)
    moved = []
    for path in orphans:
        target = folder / path.name
        shutil.move(path, target)
        moved.append(target)
    return moved
