"""Saving a song form, whichever web door sent it (the add and edit pages, the multi-upload
page, the API): the form's checked file takes the one road (app/media/cataloguing.py), the
view's data model writes the row, and the files follow the outcome (no orphan, no loss).
"""

import logging

from flask_babel import lazy_gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.extensions import db
from app.media.cataloguing import NewFiles, PathHints, catalogue, store_file
from app.media.configured_stores import song_stores
from app.media.file_store import StoreUnavailable
from app.models import Song

log = logging.getLogger(__name__)

NOT_SAVED = _(
    "The song could not be saved, so nothing was kept. Please try again; if it keeps "
    "happening, tell an administrator."
)


class SongNotSaved(ValueError):
    """Storage or the database failed while a song was catalogued: nothing was kept."""

    def __init__(self) -> None:
        super().__init__(str(NOT_SAVED))


def plain(message) -> str:
    """A field message as text (the duplicate message carries a link)."""
    return message.striptags() if isinstance(message, Markup) else str(message)


def save_song(view, form, song: Song, adding: bool, hints: PathHints | None = None) -> None:
    """Copy the form's fields to the song, store its checked file and let its tags (else
    its place, `hints`) fill the rest, then write the row through the view's data model.

    Raises DatabaseException when the database refuses, SongNotSaved when storage or the
    database fails, StoreUnavailable when the file store is down; nothing is kept.
    """
    form.populate_obj(song)
    files = file_on_the_road(form.audio_file, song, hints)
    try:
        if adding:
            view.pre_add(song)
            view.datamodel.add(song)
        else:
            view.pre_update(song)
            view.datamodel.edit(song)
    except BaseException:
        if files is not None:
            files.discard()
        raise
    if files is not None:
        files.settle(db.session)


def file_on_the_road(field, song: Song, hints: PathHints | None) -> NewFiles | None:
    """Store the field's checked file on the song and catalogue it; None without a new file."""
    if field.checked is None or field.upload is None:
        return None
    uploader = current_user.id if current_user.is_authenticated else None
    files = store_file(song, field.upload.stream, field.checked, song_stores(), uploader)
    field.stored()
    try:
        catalogue(db.session, song, field.checked, files, hints)
    except Exception as failure:
        # Storage (a full disk, a folder in the way) or the database failing here: nothing
        # kept, a rolled-back session for the form shown again, and a message without the
        # server's paths or SQL (FAB would flash the exception's own text); details to the log.
        files.discard()
        db.session.rollback()
        if isinstance(failure, StoreUnavailable):
            raise  # the store is down: every door answers that with a 503
        log.exception("Could not catalogue %s", song.original_filename)
        raise SongNotSaved from failure
    return files
