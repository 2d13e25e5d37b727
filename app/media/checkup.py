"""Do the stored files and the rows in the database agree?"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.media.storage import FileStore
from app.models import Album, Song

#: How long a staged upload waits for its form to be sent again (its token's lifetime).
STAGED_SECONDS = 3600


@dataclass
class FileCheck:
    """Files nobody refers to, rows whose file is gone, files whose content changed."""

    #: (the store the file is in, its stored name)
    orphans: list[tuple[FileStore, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    #: Staged uploads whose forms were never sent again: nothing can use them any more.
    expired_staged: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Whether disk and database agree completely."""
        return not (self.orphans or self.missing or self.mismatched or self.expired_staged)


def expired_staged(staged: FileStore) -> list[str]:
    """Staged files older than STAGED_SECONDS (their tokens have expired)."""
    oldest = datetime.now(UTC) - timedelta(seconds=STAGED_SECONDS)
    return sorted(stored.name for stored in staged.stored_files() if stored.modified < oldest)


def check_files(
    session: Session, audio: FileStore, covers: FileStore, staged: FileStore
) -> FileCheck:
    """Compare the store with the songs' and albums' stored names and hashes; find staged
    uploads left by forms nobody sent again."""
    result = FileCheck(expired_staged=expired_staged(staged))
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
