"""Many songs at once: a page that takes dropped or picked files and sends each on its own.

Each file goes through the add-song form itself (the same field checks, duplicate rule,
tag filling, album from tags and file lifecycle), one request per file, so one bad file
never costs the others and each gets its own answer in JSON.
"""

from flask import jsonify, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from markupsafe import Markup

from app.media.storage import StoreUnavailable
from app.views.jsonapi import answers_json
from app.views.store_outage import store_down_json

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


class MultiUploadMixin:
    """The song view's upload page (`/songs/upload`) and its one-file endpoint."""

    @expose("/upload")
    @has_access
    @permission_name("add")
    def upload(self):
        """The page: drop or pick files, an album for files whose tags name none."""
        form = self.add_form.refresh()
        return self.render_template(
            "setlist/upload.html",
            title=str(_("Upload songs")),
            album_field=form.album,
            accept=form.audio_file.render_kw.get("accept", ""),
        )

    @expose("/upload/file", methods=["POST"])
    @has_access
    @permission_name("add")
    @answers_json
    def upload_file(self):
        """One file through the add form: 201 added, 409 already there, 400 refused, 503 when
        storage or the database failed (worth another try)."""
        form = self.add_form.refresh()
        if not form.validate():
            if form.audio_file.store_down is not None:  # a kept file could not be read
                return store_down_json(form.audio_file.store_down, status="refused")
            duplicate = getattr(form.audio_file, "duplicate", None)
            if duplicate is not None:
                url = url_for("SongModelView.show", pk=duplicate.id)
                return upload_answer("duplicate", 409, plain(form.audio_file.errors[0]), url=url)
            errors = {name: [plain(e) for e in field] for name, field in form.errors.items()}
            first = next(iter(errors.values()))[0]
            return upload_answer("refused", 400, first, errors=errors)
        song = self.datamodel.obj()
        try:
            save_song(self, form, song, adding=True)
        except DatabaseException as refused:
            return upload_answer("refused", 409, str(refused))
        except SongNotSaved as failed:  # our failure, not the file's: worth another try
            return upload_answer("refused", 503, str(failed))
        except StoreUnavailable as failure:
            return store_down_json(failure, status="refused")
        self.post_add(song)
        url = url_for("SongModelView.show", pk=song.id)
        return upload_answer("added", 201, str(self.add_row_message), url=url, title=song.title)


def save_song(view, form, song, adding: bool) -> None:
    """Store the form's checked file on the song, let its tags fill the rest, save it.

    Raises DatabaseException when the database refuses, SongNotSaved when storage or the
    database fails, StoreUnavailable when the file store is down; nothing is kept.
    """
    form.populate_obj(song)
    if adding:
        view.pre_add(song)
        view.datamodel.add(song)
    else:
        view.pre_update(song)
        view.datamodel.edit(song)


def upload_answer(status: str, code: int, message: str, **details):
    """One file's answer in the app's JSON style ("message", "errors"), with its outcome
    ("added", "duplicate", "refused") and the song's page ("url") when there is one."""
    return jsonify({"status": status, "message": message, **details}), code
