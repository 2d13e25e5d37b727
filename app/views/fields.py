"""The audio upload form field: checks the upload and stores it under a safe name."""

from datetime import UTC, datetime

from flask import current_app
from flask_babel import lazy_gettext
from flask_login import current_user
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import ValidationError

from app.media.probe import read_duration
from app.media.storage import display_name, file_extension
from app.views.datamodels import PendingFiles, audio_storage


def stream_size(upload: FileStorage) -> int:
    """The size of an uploaded stream in bytes, leaving its position at the start."""
    stream = upload.stream
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


class AudioUploadField(FileField):
    """A song's audio file; required when adding, optional (keep current) when editing."""

    def __init__(self, label=None, validators=None, required: bool = True, **kwargs):
        self.required = required
        super().__init__(label, validators, **kwargs)
        # Shows FAB's asterisk and lets the browser stop an empty submit early.
        self.flags.required = required

    @property
    def upload(self) -> FileStorage | None:
        """The file sent with this submission, if any."""
        if isinstance(self.data, FileStorage) and self.data.filename:
            return self.data
        return None

    def pre_validate(self, form) -> None:
        """Refuse a missing, mistyped or empty upload with a message for this field."""
        upload = self.upload
        if upload is None:
            if self.required:
                raise ValidationError(lazy_gettext("Choose an audio file to upload."))
            return
        allowed = current_app.config["FILE_ALLOWED_EXTENSIONS"]
        if file_extension(upload.filename) not in allowed:
            raise ValidationError(
                lazy_gettext(
                    "Only audio files can be uploaded (%(allowed)s).",
                    allowed=", ".join(f".{ext}" for ext in allowed),
                )
            )
        if stream_size(upload) == 0:
            raise ValidationError(lazy_gettext("The file is empty."))

    def populate_obj(self, obj, name) -> None:
        """Store a new upload and point the song at it; keep the old file for now."""
        obj.pending_files = PendingFiles()
        upload = self.upload
        if upload is None:
            return
        storage = audio_storage()
        original_name = display_name(upload.filename)
        stored_name = storage.save(upload.stream, original_name)
        obj.pending_files = PendingFiles(stored=stored_name, replaced=obj.audio_file)
        obj.audio_file = stored_name
        obj.original_filename = original_name
        obj.duration = read_duration(storage.path_for(stored_name))
        obj.uploaded_at = datetime.now(UTC)
        if current_user.is_authenticated:
            obj.uploaded_by_id = current_user.id
