"""Do the stored files and the rows in the database agree?"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.media.file_store import FileStore, StoreUnavailable
from app.media.transcodes import hash_of, transcode_store
from app.models import Album, Song

#: What a store raises when it cannot be read or written (network, service, disk).
STORE_FAILURES = (StoreUnavailable, BotoCoreError, ClientError, OSError)
#: How long a staged upload waits for its form to be sent again (its token's lifetime).
STAGED_SECONDS = 3600
#: A file without a row younger than this may be an upload whose row is being written, or
#: a deleted song's file about to go: left alone (by default), so a check run during
#: traffic (cron) never quarantines a file a moment before its row commits.
ORPHAN_GRACE_SECONDS = 3600


@dataclass
class FileCheck:
    """Files nobody refers to, rows whose file is gone, files whose content changed."""

    #: (the store the file is in, its stored name)
    orphans: list[tuple[FileStore, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    #: Staged uploads whose forms were never sent again: nothing can use them any more.
    expired_staged: list[str] = field(default_factory=list)
    #: Files without a row, too recent to judge (the grace period): not problems yet.
    recent: list[str] = field(default_factory=list)
    #: How many transcodes are cached, and those of files no song has (made again on
    #: demand, so removed rather than quarantined).
    transcodes: int = 0
    orphan_transcodes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Whether disk and database agree completely."""
        return not (
            self.orphans
            or self.missing
            or self.mismatched
            or self.expired_staged
            or self.orphan_transcodes
        )


class CouldNotCheck(RuntimeError):
    """The store or the database could not be read; the message says which and why."""


def expired_staged(staged: FileStore) -> list[str]:
    """Staged files older than STAGED_SECONDS (their tokens have expired)."""
    oldest = datetime.now(UTC) - timedelta(seconds=STAGED_SECONDS)
    return sorted(stored.name for stored in staged.stored_files() if stored.modified < oldest)


def check_files(
    session: Session,
    audio: FileStore,
    covers: FileStore,
    staged: FileStore,
    grace_seconds: int = ORPHAN_GRACE_SECONDS,
) -> FileCheck:
    """Compare the store with the songs' and albums' stored names and hashes; find staged
    uploads left by forms nobody sent again. CouldNotCheck when either cannot be read."""
    try:
        return compare(session, audio, covers, staged, grace_seconds)
    except SQLAlchemyError as error:
        session.rollback()
        raise CouldNotCheck(database_failure(session, error)) from error
    except STORE_FAILURES as error:
        raise CouldNotCheck(audio.why_failed(error)) from error


def compare(
    session: Session, audio: FileStore, covers: FileStore, staged: FileStore, grace_seconds: int
):
    """check_files' work, failures left to it."""
    result = FileCheck(expired_staged=expired_staged(staged))
    songs = session.execute(select(Song.id, Song.title, Song.audio_file, Song.sha256)).all()
    cover_names = set(
        session.scalars(select(Album.cover_file).where(Album.cover_file.is_not(None)))
    )
    audio_files = audio.stored_files()
    on_disk = {stored.name for stored in audio_files}
    for song_id, title, stored_name, sha256 in songs:
        label = f"song {song_id} “{title}” ({stored_name})"
        if stored_name not in on_disk:
            result.missing.append(label)
        elif sha256 and audio.sha256(stored_name) != sha256:
            result.mismatched.append(label)
    referenced = {row.audio_file for row in songs}
    cover_files = covers.stored_files()
    stored_covers = {stored.name for stored in cover_files}
    judged_before = datetime.now(UTC) - timedelta(seconds=grace_seconds)
    for store, files, wanted in (
        (audio, audio_files, referenced),
        (covers, cover_files, cover_names),
    ):
        for stored in sorted(files, key=lambda stored: stored.name):
            if stored.name in wanted:
                continue
            if stored.modified < judged_before:
                result.orphans.append((store, stored.name))
            else:
                result.recent.append(stored.name)
    result.missing += [f"album cover {name}" for name in sorted(cover_names - stored_covers)]
    check_transcodes(result, audio, {sha256 for *_, sha256 in songs if sha256}, judged_before)
    return result


def check_transcodes(result: FileCheck, audio: FileStore, hashes: set[str], judged_before):
    """Count the cached transcodes; note those of files no song has (past the grace)."""
    for stored in sorted(transcode_store(audio).stored_files(), key=lambda stored: stored.name):
        result.transcodes += 1
        if hash_of(stored.name) in hashes:
            continue
        if stored.modified < judged_before:
            result.orphan_transcodes.append(stored.name)
        else:
            result.recent.append(stored.name)


def database_failure(session: Session, error: SQLAlchemyError) -> str:
    """Why the database could not be read, in one line (the driver's first line: "connection
    refused", "password authentication failed", "no such table"…)."""
    url = session.get_bind().url
    where = f"at {url.host}{f':{url.port}' if url.port else ''}" if url.host else url.database
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return f"the database {where} could not be read ({type(error).__name__}: {detail})"


def quarantine(orphans: list[tuple[FileStore, str]], target: FileStore) -> list[str]:
    """Move orphaned files into the quarantine area (never delete); return where they went."""
    return [store.move_to(name, target) for store, name in orphans]
