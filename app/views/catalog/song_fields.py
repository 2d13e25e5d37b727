"""The song form's own fields: the audio file, a title and an album its tags may fill."""

from flask import current_app
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
from flask_babel import lazy_gettext as _
from wtforms import BooleanField, StringField, ValidationError
from wtforms.validators import Length, Optional

from app.fab.pickers import PickerField
from app.models import Album
from app.views.catalog.audio_field import AudioUploadField

AUDIO_ACCEPT = ".mp3,.ogg,.oga,.opus,.flac,.m4a,.wav,audio/*"


class AlbumOrTags:
    """The album is chosen, or the uploaded file may place itself (CATALOG_CREATE_FROM_TAGS):
    its tags, else its place, else "Unknown", the rule of every door (app/media/placement.py)."""

    def __call__(self, form, field) -> None:
        """Refuse an empty album that no uploaded file may fill."""
        # Without a usable file its tags are unknown: the file's own error says what to do.
        if field.data is not None or form.audio_file.errors:
            return
        if form.audio_file.checked and current_app.config["CATALOG_CREATE_FROM_TAGS"]:
            return
        raise ValidationError(_("Choose an album."))


def song_form_fields(adding: bool) -> dict:
    """The fields the song forms define themselves (the rest come from the model)."""
    audio_label = _("Audio file") if adding else _("Replace audio file")
    return {
        "audio_file": AudioUploadField(
            audio_label,
            required=adding,
            render_kw={"accept": AUDIO_ACCEPT},
            description=_(
                "MP3, Ogg, Opus, FLAC, M4A or WAV; empty fields are filled from its tags."
            )
            if adding
            else _("Leave empty to keep the current file."),
        ),
        "title": StringField(
            _("Title"),
            validators=[Optional(), Length(max=200)],
            widget=BS3TextFieldWidget(),
            description=_("Leave empty to use the file's title tag."),
        ),
        "album": PickerField(
            _("Album"),
            model=Album,
            kind="albums",
            allow_blank=True,
            placeholder=_("From the file's tags"),
            validators=[AlbumOrTags()],
        ),
        "force_duplicate": BooleanField(
            _("Keep a duplicate"),
            description=_("Admins only: add the file even though the catalog already has it."),
        ),
    }
