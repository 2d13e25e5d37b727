"""Whether the catalog takes a file: its extension, its content (audio of the format its
name says), and whether the catalog has the same content already.

Every door checks a file here, with the same answers: the add and edit forms, the
multi-upload page, the API and `flask catalog import` (app/media/cataloguing.py).
"""

from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import lazy_gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.media.audio import AudioInfo, NotAudio, inspect_audio
from app.media.file_store import content_sha256, display_name, file_extension
from app.models import Song


class FileRefused(ValueError):
    """A file the catalog does not take; str() says why, in the reader's language."""


class DuplicateFile(FileRefused):
    """The catalog has this content already, as `song` (the door names it its own way)."""

    def __init__(self, song: Song) -> None:
        super().__init__(f"the catalog has this file as song {song.id}")
        self.song = song


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, with what they learnt."""

    info: AudioInfo
    sha256: str
    size: int
    #: The uploader's name for it, fit to show and to send in a download.
    original_name: str
    #: The catalog has the same file, and the door was told to keep this one anyway.
    kept_duplicate: bool = False


def refused_extension(allowed) -> FileRefused:
    """The refusal of a name whose extension is not an accepted one."""
    return FileRefused(
        _(
            "Only audio files can be uploaded (%(allowed)s).",
            allowed=", ".join(f".{ext}" for ext in allowed),
        )
    )


def duplicate_of(session: Session, sha256: str, other_than: int | None = None) -> Song | None:
    """Another song with the same content, if the catalog has one."""
    query = select(Song).where(Song.sha256 == sha256)
    if other_than is not None:
        query = query.where(Song.id != other_than)
    return session.scalars(query.limit(1)).first()


def check_file(
    session: Session,
    stream: BinaryIO,
    filename: str,
    allowed,
    *,
    replacing: int | None = None,
    keep_duplicate: bool = False,
) -> CheckedFile:
    """Check a seekable stream sent under `filename` against the accepted extensions
    (`allowed`), its content and the catalog (`replacing`: the song whose file it replaces,
    no duplicate of itself); leave the stream at its start.

    Raises FileRefused saying why, or DuplicateFile unless `keep_duplicate`.
    """
    extension = file_extension(filename)
    if extension not in allowed:
        raise refused_extension(allowed)
    try:
        info = inspect_audio(stream, extension)
    except NotAudio as problem:
        raise FileRefused(*problem.args) from None
    sha256 = content_sha256(stream)
    size = stream.seek(0, 2)
    stream.seek(0)
    existing = duplicate_of(session, sha256, replacing)
    if existing is not None and not keep_duplicate:
        raise DuplicateFile(existing)
    return CheckedFile(
        info, sha256, size, display_name(filename), kept_duplicate=existing is not None
    )
