"""FAB data interfaces for rows that own stored files (songs, albums): a file goes only once
the database no longer names it, so no row ever points at a missing file."""

from flask_appbuilder.exceptions import DatabaseException
from flask_babel import lazy_gettext

from app.fab.datamodels import CatalogDataModel
from app.media.configured_stores import audio_store, cover_store
from app.media.file_store import FileStore
from app.media.transcodes import forget_unused
from app.models.catalog import UNIQUE_CONTENT_INDEX

SAME_FILE_JUST_ADDED = lazy_gettext(
    "This file was added to the catalog a moment ago (perhaps by someone else); "
    "look for it in the song list."
)


def refused_as_duplicate(refused: DatabaseException) -> bool:
    """Whether the database refused a song because its file is in the catalog already."""
    # PostgreSQL names the index; SQLite names the column of the unique index.
    reason = str(refused.__cause__)
    return UNIQUE_CONTENT_INDEX in reason or "song.sha256" in reason


class SongDataModel(CatalogDataModel):
    """Song rows whose files are removed only after the database commit succeeds (a new
    file's fate is `save_song`'s: app/views/catalog/song_saving.py)."""

    def add(self, item, commit: bool = True) -> None:
        """Insert a song; a file added meanwhile by another upload is named as such."""
        self.written(super().add, item, commit)

    def edit(self, item, commit: bool = True) -> None:
        """Update a song; a file added meanwhile by another upload is named as such."""
        self.written(super().edit, item, commit)

    @staticmethod
    def written(write, item, commit: bool) -> None:
        """Run the write; the database's refusal of a second copy of a file says so."""
        try:
            write(item, commit)
        except DatabaseException as refused:
            if refused_as_duplicate(refused):
                raise DatabaseException(str(SAME_FILE_JUST_ADDED)) from refused
            raise

    def delete(self, item, commit: bool = True) -> None:
        """Delete a song, then its file and transcodes once the deletion is committed."""
        stored_name, sha256 = item.audio_file, item.sha256
        super().delete(item, commit)
        audio_store().delete(stored_name)
        forget_unused(self.session, audio_store(), [sha256])

    def delete_all(self, items) -> None:
        """Delete songs, then their files and transcodes (a kept duplicate's stay)."""
        hashes = [item.sha256 for item in items if item is not None]
        super().delete_all(items)
        forget_unused(self.session, audio_store(), hashes)

    def _delete_files(self, item) -> None:
        """Do nothing: FAB would delete files before the commit (see delete)."""

    def files_of(self, item) -> list[tuple[FileStore, str]]:
        """A song's audio file."""
        return [(audio_store(), item.audio_file)]


class AlbumDataModel(CatalogDataModel):
    """Album rows whose cover file goes once the album's deletion is committed."""

    def files_of(self, item) -> list[tuple[FileStore, str]]:
        """An album's cover."""
        return [(cover_store(), item.cover_file)]

    def delete(self, item, commit: bool = True) -> None:
        """Delete an album, then its cover."""
        cover = item.cover_file
        super().delete(item, commit)
        cover_store().delete(cover)
