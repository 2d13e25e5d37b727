"""Audio files on disk under the upload folder, under generated names."""

import hashlib
import io
import logging
import os
import shutil
import unicodedata
import uuid
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

log = logging.getLogger(__name__)

COPY_CHUNK_BYTES = 1024 * 1024
MAX_ORIGINAL_NAME_LENGTH = 255


class UnsafeStoredName(ValueError):
    """A stored name that would leave the upload folder."""


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
    visible = "".join(c for c in client_filename if unicodedata.category(c) not in ("Cc", "Cf"))
    name = PureWindowsPath(PurePosixPath(visible).name).name.strip()
    return name[-MAX_ORIGINAL_NAME_LENGTH:] or "upload"


class AudioStorage:
    """Stores uploads under collision-free names inside one folder, and only there."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder).resolve()

    def path_for(self, stored_name: str) -> Path:
        """The absolute path of a stored file; refuses names that leave the folder."""
        path = (self.folder / stored_name).resolve()
        if path.parent != self.folder or not stored_name:
            raise UnsafeStoredName(stored_name)
        return path

    def save(self, stream: BinaryIO, original_name: str) -> str:
        """Copy a stream into a new file and return its generated stored name."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stream.seek(0)
        extension = file_extension(original_name)
        stored_name = uuid.uuid4().hex + (f".{extension}" if extension else "")
        path = self.path_for(stored_name)
        try:
            # "x" mode: a name collision fails loudly instead of overwriting.
            with path.open("xb") as target:
                shutil.copyfileobj(stream, target, COPY_CHUNK_BYTES)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return stored_name

    def save_bytes(self, data: bytes, extension: str) -> str:
        """Store a small blob (a cover image) and return its generated stored name."""
        return self.save(io.BytesIO(data), f"blob.{extension}")

    def is_reachable(self) -> bool:
        """Whether files can be stored here now (the folder exists or can be made, and is
        writable)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return os.access(self.folder, os.W_OK | os.X_OK)

    def stored_names(self) -> set[str]:
        """The names of the files directly inside the folder."""
        if not self.folder.is_dir():
            return set()
        # Dot-files are not ours (the clone's uploads/.gitkeep, .DS_Store); stored names never
        # start with a dot.
        return {p.name for p in self.folder.iterdir() if p.is_file() and not p.name.startswith(".")}

    def delete(self, stored_name: str | None) -> None:
        """Remove a stored file if it exists; never touches anything outside the folder."""
        if not stored_name:
            return
        try:
            self.path_for(stored_name).unlink(missing_ok=True)
        except UnsafeStoredName:
            log.warning("Refused to delete %r: not inside the upload folder", stored_name)
        except OSError:
            log.exception("Could not delete stored file %s", stored_name)
