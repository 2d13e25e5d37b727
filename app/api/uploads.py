"""Song files through the API: a new song from an upload, a new file for a song.

Both go through the song forms of the UI, so a file gets exactly the checks, duplicate
rule, tag filling, album from tags and file lifecycle it gets on the site.
"""

from flask import request, url_for
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.exceptions import DatabaseException
from flask_babel import lazy_gettext as _
from werkzeug.datastructures import MultiDict

from app.api.base import UNKNOWN_FIELD
from app.api.openapi import upload_operation
from app.media.file_store import StoreUnavailable
from app.views.catalog.song_saving import SongNotSaved, plain, save_song
from app.web.json_answers import NOT_VALID, json_error
from app.web.store_outage import store_down_json

#: Multipart field -> song form field.
UPLOAD_FIELDS = {
    "file": "audio_file",
    "title": "title",
    "album_id": "album",
    "track_number": "track_number",
    "disc_number": "disc_number",
    "rating": "rating",
    "force_duplicate": "force_duplicate",
}
NOT_MULTIPART = _("Send the file as multipart/form-data, in the field “file”.")
NO_FILE = _("Choose an audio file to upload.")


class SongFileRoutes:
    """The song resource's file endpoints (mixed into SongApi)."""

    #: The routes that take an audio file, up to MAX_UPLOAD_LENGTH (app/request_checks.py).
    file_routes = ("upload", "replace_file")

    extra_operations = {
        "upload": upload_operation("post", 201, "The new song", of_a_row=False),
        "replace_file": upload_operation("put", 200, "The song with its new file", of_a_row=True),
    }

    @expose("/upload", methods=["POST"])
    @protect()
    @safe
    def upload(self):
        """Add a song from an audio file.
        ---
        post:
          description: >-
            The file is checked (content, extension, duplicates) and its tags fill what
            the other fields leave empty, an album (and author) included.
        """
        formdata = self.upload_formdata({})
        if not isinstance(formdata, MultiDict):
            return formdata
        form = self.ui_view().add_form(formdata=formdata, meta={"csrf": False})
        refused = self.upload_refusal(form)
        if refused:
            return refused
        return self.saved(self.datamodel.obj(), form, adding=True)

    @expose("/<pk>/file", methods=["PUT"])
    @protect()
    @safe
    def replace_file(self, pk):
        """Give a song a new audio file (the old one goes once the change is saved).
        ---
        put:
          description: >-
            The file is checked like an upload; the song's other fields stay.
        """
        song = self.datamodel.get(pk, self._base_filters)
        if song is None:
            return self.response_404()
        current = {name: getattr(song, name) for name in self.writable}
        formdata = self.upload_formdata(current)
        if not isinstance(formdata, MultiDict):
            return formdata
        if formdata.get("audio_file") is None:
            return json_error(422, NOT_VALID, {"file": [NO_FILE]})
        form = self.ui_view().edit_form(formdata=formdata, meta={"csrf": False})
        form._id = song.id  # its own file is no duplicate
        refused = self.upload_refusal(form)
        if refused:
            return refused
        return self.saved(song, form, adding=False)

    def saved(self, song, form, adding: bool):
        """Save a checked upload (with the site's tag filling and file lifecycle); the song."""
        try:
            save_song(self.ui_view(), form, song, adding)
        except DatabaseException as failed:
            return json_error(409, failed)
        except SongNotSaved as failed:  # storage or the database failed: worth a retry
            return json_error(503, failed)
        except StoreUnavailable as failure:
            return store_down_json(failure)
        answer = {"id": song.id, "result": self.show_model_schema.dump(song)}
        return self.response(201 if adding else 200, **answer)

    @staticmethod
    def upload_formdata(current: dict):
        """The song form's data: `current` values, overridden by the multipart fields sent;
        or the error answer for a request that is no upload or names unknown fields."""
        if request.mimetype != "multipart/form-data":
            return json_error(400, NOT_MULTIPART)
        sent = [*request.form, *request.files]
        unknown = [name for name in sent if name not in UPLOAD_FIELDS and name != "csrf_token"]
        if unknown:
            return json_error(422, NOT_VALID, {name: [UNKNOWN_FIELD] for name in unknown})
        values = {**current, **request.form.to_dict()}
        formdata = MultiDict(
            (UPLOAD_FIELDS[name], "" if value is None else str(value))
            for name, value in values.items()
            if name in UPLOAD_FIELDS
        )
        if "file" in request.files:
            formdata["audio_file"] = request.files["file"]
        return formdata

    @staticmethod
    def upload_refusal(form):
        """The answer for a refused upload (422 per field, 409 for a duplicate), or None."""
        if form.validate():
            return None
        api_names = {form_field: name for name, form_field in UPLOAD_FIELDS.items()}
        errors = {
            api_names.get(field, field): [plain(text) for text in texts]
            for field, texts in form.errors.items()
        }
        duplicate = getattr(form.audio_file, "duplicate", None)
        if duplicate is not None:
            found = {"id": duplicate.id, "url": url_for("SongModelView.show", pk=duplicate.id)}
            return json_error(409, errors["file"][0], errors, duplicate=found)
        return json_error(422, NOT_VALID, errors)
