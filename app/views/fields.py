"""The audio upload field: checks the content, refuses duplicates, stores the file."""

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, url_for
from flask_babel import lazy_gettext as _
from flask_login import current_user
from flask_wtf.file import FileField
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from wtforms import ValidationError

from app.extensions import db
from app.media.audio import AudioInfo, NotAudio, inspect_audio
from app.media.storage import content_sha256, display_name, file_extension
from app.models import Song
from app.views.datamodels import PendingFiles, audio_storage


@dataclass
class CheckedUpload:
    """An upload that passed the content checks, with what they learnt."""

    info: AudioInfo
    sha256: str
    size: int
    #: An admin asked to keep it although the catalog has the same file.
    kept_duplicate: bool = False


def is_admin() -> bool:
    """Whether the current user has the admin role."""
    admin_role = current_app.config["AUTH_ROLE_ADMIN"]
    return current_user.is_authenticated and any(r.name == admin_role for r in current_user.roles)


def duplicate_of(sha256: str, editing_id) -> Song | None:
    """Another song with the same content, if the catalog has one."""
    query = select(Song).where(Song.sha256 == sha256)
    if editing_id is not None:
        query = query.where(Song.id != int(editing_id))
    return db.session.scalars(query.limit(1)).first()


class AudioUploadField(FileField):
    """A song's audio file; required when adding, optional (keep current) when editing."""

    def __init__(self, label=None, validators=None, required: bool = True, **kwargs):
        self.required = required
        self.checked: CheckedUpload | None = None
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
        """Refuse a missing, mistyped, non-audio or duplicate upload with a field message."""
        self.checked = None
        #: The song already holding this file, when that is why the upload is refused.
        self.duplicate = None
        upload = self.upload
        if upload is None:
            if self.required:
                raise ValidationError(_("Choose an audio file to upload."))
            return
        allowed = current_app.config["FILE_ALLOWED_EXTENSIONS"]
        extension = file_extension(upload.filename)
        if extension not in allowed:
            raise ValidationError(
                _(
                    "Only audio files can be uploaded (%(allowed)s).",
                    allowed=", ".join(f".{ext}" for ext in allowed),
                )
            )
        try:
            info = inspect_audio(upload.stream, extension)
        except NotAudio as problem:
            raise ValidationError(str(problem)) from None
        sha256 = content_sha256(upload.stream)
        upload.stream.seek(0, 2)
        size = upload.stream.tell()
        upload.stream.seek(0)
        existing = duplicate_of(sha256, getattr(form, "_id", None))
        forced = "force_duplicate" in form and form.force_duplicate.data and is_admin()
        if existing and not forced:
            self.duplicate = existing
            link = url_for("SongModelView.show", pk=existing.id)
            # The translated template is ours; Markup.format escapes the song's title.
            text = _('This file is already in the catalog as <a href="{url}">{title}</a>.')
            template = Markup(str(text))  # noqa: S704
            raise ValidationError(template.format(url=link, title=existing.title))
        self.checked = CheckedUpload(info, sha256, size, kept_duplicate=existing is not None)

    def populate_obj(self, obj, name) -> None:
        """Store a checked upload and describe it on the song; keep the old file for now."""
        obj.pending_files = PendingFiles()
        upload, checked = self.upload, self.checked
        if upload is None or checked is None:
            return
        original_name = display_name(upload.filename)
        stored_name = audio_storage().save(upload.stream, original_name)
        obj.pending_files = PendingFiles(stored=stored_name, replaced=obj.audio_file)
        obj.checked_upload = checked
        info = checked.info
        obj.audio_file = stored_name
        obj.original_filename = original_name
        obj.sha256, obj.file_size = checked.sha256, checked.size
        obj.kept_duplicate = checked.kept_duplicate
        obj.audio_format, obj.mime_type = info.format.name, info.format.mime_type
        obj.duration, obj.bitrate = info.duration, info.bitrate
        obj.sample_rate, obj.channels = info.sample_rate, info.channels
        obj.uploaded_at = datetime.now(UTC)
        if current_user.is_authenticated:
            obj.uploaded_by_id = current_user.id
