"""Do the stored files and the rows in the database agree?"""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.media.storage import FileStore
from app.models import Album, Song


@dataclass
class FileCheck:
    """Files nobody refers to, rows whose file is gone, files whose content changed."""

    #: (the store the file is in, its stored name)
    orphans: list[tuple[FileStore, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Whether disk and database agree completely."""
        return not (self.orphans or self.missing or self.mismatched)


def check_files(session: Session, audio: FileStore, covers: FileStore) -> FileCheck:
    """Compare the store with the songs' and albums' stored names and hashes."""
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
        elif sha256 and audio.sha256(stored_name) != sha256:
            result.mismatched.append(label)
    referenced = {row.audio_file for row in songs}
    stored_covers = covers.stored_names()
    result.orphans += [(audio, name) for name in sorted(on_disk - referenced)]
    result.orphans += [(covers, name) for name in sorted(stored_covers - cover_names)]
    result.missing += [f"album cover {name}" for name in sorted(cover_names - stored_covers)]
    return result


def quarantine(orphans: list[tuple[FileStore, str]], target: FileStore) -> list[str]:
    """Move orphaned files into the quarantine area (never delete); return where they went."""
    return [store.move_to(name, target) for store, name in orphans]
