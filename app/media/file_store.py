"""Stored files (songs, album covers, staged uploads) under generated names.

`FileStore` is what every file operation uses; `LocalStore` keeps files in a folder of
this machine (the default), `app.media.s3.S3Store` in an S3-compatible bucket that several
app servers share. `app.media.configured_stores.file_store()` picks one from the configuration.
"""

import hashlib
import io
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO, NamedTuple

from app.media.replacing import replace_file
from app.media.text import visible_text

log = logging.getLogger(__name__)

COPY_CHUNK_BYTES = 1024 * 1024
MAX_ORIGINAL_NAME_LENGTH = 255


class UnsafeStoredName(ValueError):
    """A stored name that would leave its store's area (a path, "..", a hidden name)."""


class StoreUnavailable(RuntimeError):
    """The file store cannot be reached now (a network or service failure, not a bug)."""


def folder_unavailable(failure: OSError) -> StoreUnavailable:
    """A local store's failure to write or read (a folder unwritable or in the way, a full
    disk) as StoreUnavailable: files cannot be stored now, as when a bucket is down."""
    return StoreUnavailable(f"upload folder: {type(failure).__name__}")


@dataclass(frozen=True)
class StoredFile:
    """What a store knows of a stored file without reading it."""

    name: str
    size: int
    modified: datetime
    #: A validator that changes whenever the content could have (quoted, as HTTP sends it).
    etag: str


def content_sha256(stream: BinaryIO) -> str:
    """The SHA-256 of a seekable stream, read in bounded chunks, leaving it at the start."""
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(COPY_CHUNK_BYTES):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def file_extension(filename: str) -> str:
    """The lower-case extension of a file name, without the dot ('' if none)."""
    suffix = PurePosixPath(filename).suffix
    return suffix[1:].lower() if suffix else ""


def display_name(client_filename: str) -> str:
    """The uploader's file name without any directory part a browser may send, and
    without control or invisible formatting characters (CR/LF would break the
    Content-Disposition header of downloads; a right-to-left override disguises the name)."""
    name = PureWindowsPath(PurePosixPath(visible_text(client_filename)).name).name.strip()
    return name[-MAX_ORIGINAL_NAME_LENGTH:] or "upload"


def new_stored_name(original_name: str) -> str:
    """A collision-free name that keeps the original's extension (players look at it)."""
    extension = file_extension(original_name)
    return uuid.uuid4().hex + (f".{extension}" if extension else "")


def checked_name(stored_name: str | None) -> str:
    """A stored name that names a file directly inside its area, or UnsafeStoredName."""
    name = stored_name or ""
    if not name or name.startswith(".") or "/" in name or "\\" in name or "\x00" in name:
        raise UnsafeStoredName(name)
    return name


class FileStore:
    """Files under generated names in one area of a store (songs, covers, staged, quarantine).

    Names never leave the area; saving never overwrites; deleting a missing file is fine.
    """

    def area(self, name: str) -> "FileStore":
        """Another area (covers, staged, quarantine) below this one."""
        raise NotImplementedError

    def save(self, stream: BinaryIO, original_name: str) -> str:
        """Copy a stream into a new file and return its generated stored name."""
        raise NotImplementedError

    def save_bytes(self, data: bytes, extension: str) -> str:
        """Store a small blob (a cover image) and return its generated stored name."""
        return self.save(io.BytesIO(data), f"blob.{extension}")

    def put(self, stream: BinaryIO, stored_name: str) -> None:
        """Store a stream under a name of our making (a cache entry), replacing one whole."""
        replace_file(self.local_path(stored_name), stream)

    def describe(self, stored_name: str) -> StoredFile | None:
        """Size, time and validator of a stored file, or None when there is none."""
        raise NotImplementedError

    def read(self, stored_name: str, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """The bytes from start up to stop (the end by default), in bounded chunks."""
        raise NotImplementedError

    def open(self, stored_name: str) -> BinaryIO:
        """A seekable read stream of a stored file (a local temporary copy if need be)."""
        raise NotImplementedError

    def stored_files(self) -> list[StoredFile]:
        """Every file directly in the area (dot-files are not ours: .gitkeep, .DS_Store)."""
        raise NotImplementedError

    def stored_names(self) -> set[str]:
        """The names of the files directly in the area."""
        return {stored.name for stored in self.stored_files()}

    def remove(self, stored_name: str) -> None:
        """Remove a stored file if it exists; never anything outside the area."""
        raise NotImplementedError

    def move_to(self, stored_name: str, target: "FileStore") -> str:
        """Move a file into another area of the same store; return where it went."""
        raise NotImplementedError

    def is_reachable(self) -> bool:
        """Whether files can be stored and read now."""
        raise NotImplementedError

    def local_path(self, stored_name: str) -> Path | None:
        """The file's path on this machine, when the store keeps it here."""
        return None

    def why_failed(self, error: Exception) -> str:
        """Why the store could not be read or written, in one line, for operators."""
        return f"{self!r} could not be read ({type(error).__name__}: {error})"

    def signed_url(
        self, stored_name: str, seconds: int, *, content_type: str, disposition: str, cache: str
    ) -> str | None:
        """An address that serves the file for `seconds` to whoever holds it, with these
        headers, when the store can give one; None: the app sends the file itself."""
        return None

    def sha256(self, stored_name: str) -> str:
        """The SHA-256 of a stored file, read in bounded chunks."""
        digest = hashlib.sha256()
        for chunk in self.read(stored_name):
            digest.update(chunk)
        return digest.hexdigest()

    def delete(self, stored_name: str | None) -> None:
        """Remove a stored file if there is one. Deletes follow a commit or clean up after a
        failure, so a failure to delete is logged (check-files finds the orphan), not raised."""
        if not stored_name:
            return
        try:
            self.remove(stored_name)
        except UnsafeStoredName:
            log.warning("Refused to delete %r: not a stored name", stored_name)
        except (OSError, StoreUnavailable):
            log.exception("Could not delete stored file %s", stored_name)


class SongStores(NamedTuple):
    """The stores a song's files go to: its audio file, its album's cover."""

    audio: FileStore
    covers: FileStore


class LocalStore(FileStore):
    """Files in one folder of this machine, and only there."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder).resolve()

    def __repr__(self) -> str:
        return f"LocalStore({str(self.folder)!r})"

    def area(self, name: str) -> "LocalStore":
        """A folder below this one."""
        return LocalStore(self.folder / name)

    def path_for(self, stored_name: str) -> Path:
        """The absolute path of a stored file; refuses names that leave the folder."""
        path = (self.folder / checked_name(stored_name)).resolve()
        if path.parent != self.folder:
            raise UnsafeStoredName(stored_name)
        return path

    def local_path(self, stored_name: str) -> Path | None:
        """The file's path (it is on this machine)."""
        return self.path_for(stored_name)

    def save(self, stream: BinaryIO, original_name: str) -> str:
        """Copy a stream into a new file and return its generated stored name."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stream.seek(0)
        stored_name = new_stored_name(original_name)
        path = self.path_for(stored_name)
        try:
            # "x" mode: a name collision fails loudly instead of overwriting.
            with path.open("xb") as target:
                shutil.copyfileobj(stream, target, COPY_CHUNK_BYTES)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return stored_name

    def describe(self, stored_name: str) -> StoredFile | None:
        """Size and time from the file system; the validator from both and the name."""
        try:
            status = self.path_for(stored_name).stat()
        except FileNotFoundError:
            return None
        modified = datetime.fromtimestamp(status.st_mtime, UTC)
        etag = f'"{status.st_mtime_ns:x}-{status.st_size:x}-{stored_name}"'
        return StoredFile(stored_name, status.st_size, modified, etag)

    def read(self, stored_name: str, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """The bytes from start up to stop, in bounded chunks (the name is checked and the
        file opened at once; the chunks are read as they are taken)."""
        stream = self.path_for(stored_name).open("rb")
        stream.seek(start)
        return read_chunks(stream, None if stop is None else stop - start)

    def open(self, stored_name: str) -> BinaryIO:
        """The file itself, opened for reading."""
        return self.path_for(stored_name).open("rb")

    def stored_files(self) -> list[StoredFile]:
        """The files directly in the folder (not the areas below it, not dot-files)."""
        if not self.folder.is_dir():
            return []
        names = (p.name for p in self.folder.iterdir() if p.is_file())
        found = (self.describe(name) for name in names if not name.startswith("."))
        return [stored for stored in found if stored is not None]

    def remove(self, stored_name: str) -> None:
        """Remove a stored file if it exists."""
        self.path_for(stored_name).unlink(missing_ok=True)

    def move_to(self, stored_name: str, target: "FileStore") -> str:
        """Move a file into another folder (never deleting it)."""
        target.folder.mkdir(parents=True, exist_ok=True)
        destination = target.path_for(stored_name)
        shutil.move(self.path_for(stored_name), destination)
        return str(destination)

    def why_failed(self, error: Exception) -> str:
        """Why the folder could not be read or written, in one line."""
        return (
            f"the upload folder {self.folder} could not be read ({type(error).__name__}: {error})"
        )

    def is_reachable(self) -> bool:
        """Whether the folder exists (or can be made) and is writable."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return os.access(self.folder, os.W_OK | os.X_OK)


def read_chunks(stream: BinaryIO, length: int | None) -> Iterator[bytes]:
    """Up to `length` bytes (all by default) of an open stream in bounded chunks; closes it."""
    with stream:
        while length is None or length > 0:
            chunk = stream.read(
                COPY_CHUNK_BYTES if length is None else min(length, COPY_CHUNK_BYTES)
            )
            if not chunk:
                return
            if length is not None:
                length -= len(chunk)
            yield chunk


def spooled_copy(chunks: Iterator[bytes]) -> BinaryIO:
    """A seekable temporary copy of streamed bytes (in memory while small, then on disk)."""
    copy = tempfile.SpooledTemporaryFile(max_size=COPY_CHUNK_BYTES)  # noqa: SIM115 - returned open
    for chunk in chunks:
        copy.write(chunk)
    copy.seek(0)
    return copy
