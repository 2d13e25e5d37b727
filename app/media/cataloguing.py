"""One road for a song file, whatever door it comes in by (the add and edit forms, the
multi-upload page, the API, `flask catalog import`, the demo catalog):

1. `check_file`: the extension, the content, the hash, a duplicate (app/media/file_checks.py);
2. `store_file`: the file copied into the audio store and described on the song;
3. `catalogue`: the tags (else the file's place) fill the song's empty fields and find or
   create its album and author (app/media/placement.py); a coverless album gets the file's
   picture;
4. the row is written by the door (FAB's data model, or `add_song`'s commit), then
   `NewFiles.settle()`, or `NewFiles.discard()` when the write fails: no orphan either way.

Doors only turn requests into these arguments and the results (CheckedFile, FileRefused,
DuplicateFile, NewFiles) into answers. Nothing here knows of Flask requests or forms.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

from sqlalchemy.orm import Session

from app.media.audio import AudioInfo
from app.media.covers import image_kind
from app.media.file_checks import CheckedFile, DuplicateFile, FileRefused, check_file
from app.media.file_store import FileStore, SongStores, folder_unavailable
from app.media.placement import PathHints, place_song, upload_hints
from app.media.transcodes import forget_unused
from app.models import Album, Song

__all__ = [
    "CheckedFile",
    "DuplicateFile",
    "FileRefused",
    "NewFiles",
    "PathHints",
    "SongStores",
    "add_song",
    "catalogue",
    "check_file",
    "store_file",
    "upload_hints",
]


@dataclass
class NewFiles:
    """What storing a song's file changed in the stores, settled once its row is written."""

    stores: SongStores
    #: The song's new audio file, its replaced one (editing) and that one's SHA-256, its
    #: album's new cover.
    stored: str | None = None
    replaced: str | None = None
    cover: str | None = None
    replaced_sha256: str | None = None

    def discard(self) -> None:
        """The row was not written: remove the files stored for it (the old one stays)."""
        self.stores.audio.delete(self.stored)
        self.stores.covers.delete(self.cover)

    def settle(self, session: Session | None = None) -> None:
        """The row is written: remove the file the new one replaced, and (given the
        session) its transcodes unless another song still has that file."""
        self.stores.audio.delete(self.replaced)
        if session is not None and self.replaced:
            forget_unused(session, self.stores.audio, [self.replaced_sha256])


def describe_file(song: Song, checked: CheckedFile, stored_name: str, uploaded_by) -> None:
    """Set what the song knows of its file (from the checks, not from the uploader)."""
    info = checked.info
    song.audio_file, song.original_filename = stored_name, checked.original_name
    song.sha256, song.file_size = checked.sha256, checked.size
    song.kept_duplicate = checked.kept_duplicate
    song.audio_format, song.mime_type = info.format.name, info.format.mime_type
    song.duration, song.bitrate = info.duration, info.bitrate
    song.sample_rate, song.channels = info.sample_rate, info.channels
    song.uploaded_at = datetime.now(UTC)
    if uploaded_by is not None:
        song.uploaded_by_id = uploaded_by


def store_file(
    song: Song, stream: BinaryIO, checked: CheckedFile, stores: SongStores, uploaded_by=None
) -> NewFiles:
    """Copy a checked file into the audio store and describe it on the song; the file it
    replaces stays until `settle()`. StoreUnavailable when the store cannot take it now."""
    try:
        stored_name = stores.audio.save(stream, checked.original_name)
    except OSError as failure:  # a full disk, a folder in the way: the store is down
        raise folder_unavailable(failure) from failure
    files = NewFiles(
        stores, stored=stored_name, replaced=song.audio_file, replaced_sha256=song.sha256
    )
    describe_file(song, checked, stored_name, uploaded_by)
    return files


def catalogue(
    session: Session,
    song: Song,
    checked: CheckedFile,
    files: NewFiles,
    hints: PathHints | None = None,
) -> None:
    """Let the file's tags, else its place (`hints`; by default its name), fill the song's
    empty fields and a missing album; a coverless album gets the file's picture (noted in
    `files`). Nothing is written to the database until the door writes the row."""
    with session.no_autoflush:
        place_song(session, song, checked.info, checked.original_name, hints)
        files.cover = adopt_cover(song.album, checked.info, files.stores.covers)


def adopt_cover(album: Album, info: AudioInfo, covers: FileStore) -> str | None:
    """Store the file's embedded cover for an album that has none; return its stored name."""
    if album.cover_file or not info.cover:
        return None
    kind = image_kind(info.cover)
    if kind is None:
        return None
    extension, mime_type = kind
    album.cover_file = covers.save_bytes(info.cover, extension)
    album.cover_mime_type = mime_type
    return album.cover_file


def add_song(
    session: Session,
    stream: BinaryIO,
    checked: CheckedFile,
    stores: SongStores,
    album: Album | None = None,
    hints: PathHints | None = None,
    **fields,
) -> Song:
    """The whole road for a door without a form (the importer, the demo): store a checked
    file, catalogue it (into `album` when given) and commit a song with `fields`.

    On any failure the stored files are removed again and the error is raised.
    """
    song = Song(**fields)
    files = store_file(song, stream, checked, stores)
    try:
        song.album = album
        catalogue(session, song, checked, files, hints)
        session.add(song)
        session.commit()
    except BaseException:
        session.rollback()
        files.discard()
        raise
    return song
