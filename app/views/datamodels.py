"""FAB data interfaces that keep database rows and stored files consistent."""

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext
from sqlalchemy.exc import SQLAlchemyError

from app.media.storage import AudioStorage

COVERS_FOLDER = "covers"
DATABASE_REFUSED = lazy_gettext(
    "The database refused the change, so nothing was saved. "
    "Check for a conflicting record and try again."
)


@dataclass
class PendingFiles:
    """Files a form submission stored or replaced, settled after the commit."""

    stored: str | None = None
    replaced: str | None = None
    cover: str | None = None


def pending_files(item) -> PendingFiles:
    """What the upload field left on a song for this request (nothing by default)."""
    return getattr(item, "pending_files", None) or PendingFiles()


def audio_storage() -> AudioStorage:
    """The storage of the current app's upload folder."""
    return AudioStorage(current_app.config["UPLOAD_FOLDER"])


def cover_storage() -> AudioStorage:
    """Where album covers are kept: a folder inside the upload folder."""
    return AudioStorage(Path(current_app.config["UPLOAD_FOLDER"]) / COVERS_FOLDER)


def discard_new_files(item) -> None:
    """Remove the files a failed submission stored (the audio file and a new cover)."""
    pending = pending_files(item)
    audio_storage().delete(pending.stored)
    cover_storage().delete(pending.cover)


class CatalogDataModel(SQLAInterface):
    """SQLAInterface whose add errors read as a sentence, not as SQL."""

    def add(self, item, commit: bool = True) -> None:
        """Add a row; a database refusal becomes a user-readable DatabaseException."""
        try:
            super().add(item, commit)
        except SQLAlchemyError as error:
            raise DatabaseException(str(DATABASE_REFUSED)) from error


class SongDataModel(CatalogDataModel):
    """Song rows whose files are removed only after the database commit succeeds.

    AudioUploadField stores a new upload before the commit and notes it in
    `item.pending_files`; this interface then discards the new file when the
    commit fails, or the replaced one when it succeeds.
    """

    def add(self, item, commit: bool = True) -> None:
        """Insert a song; a failed commit removes the file just stored for it."""
        try:
            super().add(item, commit)
        except DatabaseException:
            discard_new_files(item)
            raise

    def edit(self, item, commit: bool = True) -> None:
        """Update a song; the old file goes only once the new one is committed."""
        try:
            super().edit(item, commit)
        except DatabaseException:
            discard_new_files(item)
            raise
        audio_storage().delete(pending_files(item).replaced)

    def delete(self, item, commit: bool = True) -> None:
        """Delete a song, then its file once the deletion is committed."""
        stored_name = item.audio_file
        super().delete(item, commit)
        audio_storage().delete(stored_name)

    def _delete_files(self, item) -> None:
        """Do nothing: FAB would delete files before the commit (see delete)."""


class AlbumDataModel(CatalogDataModel):
    """Album rows whose cover file goes once the album's deletion is committed."""

    def delete(self, item, commit: bool = True) -> None:
        """Delete an album, then its cover."""
        cover = item.cover_file
        super().delete(item, commit)
        cover_storage().delete(cover)
