"""Songs: upload (checked, tagged, de-duplicated), stream with seeking, download."""

from flask import abort, current_app, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import joinedload
from wtforms import BooleanField, IntegerField, StringField, ValidationError
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.media.audio import format_duration
from app.media.cataloguing import album_named_by
from app.media.storage import display_name
from app.models import Album, Author, Song
from app.models.catalog import RATING_MAX, RATING_MIN, TRACK_MAX, TRACK_MIN
from app.views.base import CatalogModelView
from app.views.bulk import BulkChange
from app.views.columns import (
    album_link,
    local_datetime,
    rating_stars,
    song_author_link,
    song_cover,
    song_download,
    song_player,
    title_link,
)
from app.views.datamodels import SongDataModel, audio_storage
from app.views.fields import AudioUploadField
from app.views.pickers import PickerField
from app.views.rows import PhoneLayout
from app.views.sending import PRIVATE_MAX_AGE, send_stored
from app.views.song_forms import SongForms
from app.views.uploads import MultiUploadMixin

SONG_FORM_COLUMNS = ["audio_file", "title", "album", "track_number", "rating", "force_duplicate"]
AUDIO_ACCEPT = ".mp3,.ogg,.oga,.opus,.flac,.m4a,.wav,audio/*"


class AlbumOrTags:
    """The album is chosen, or the uploaded file's tags name one we may create."""

    def __call__(self, form, field) -> None:
        """Refuse an empty album the tags cannot fill."""
        # Without a usable file its tags are unknown: the file's own error says what to do.
        if field.data is not None or form.audio_file.errors:
            return
        checked = form.audio_file.checked
        if (
            checked
            and album_named_by(checked.info.tags)
            and current_app.config["CATALOG_CREATE_FROM_TAGS"]
        ):
            return
        raise ValidationError(
            _("Choose an album (the file's tags do not name an artist and album to use).")
        )


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


class SongModelView(SongForms, MultiUploadMixin, CatalogModelView):
    """Songs: list, search, edit, upload, play and download their audio files."""

    route_base = "/songs"
    #: The routes that take an audio file, up to MAX_UPLOAD_LENGTH (app/request_checks.py).
    file_routes = ("add", "edit", "upload_file")
    datamodel = SongDataModel(
        Song,
        list_load=(joinedload(Song.album).joinedload(Album.author),),
        computed={
            "player": song_player,
            "download": song_download,
            "cover": song_cover,
            "album": album_link,
            "album.title": album_link,
            "author": song_author_link,
        },
        list_computed={"title": title_link("SongModelView.show")},
        through_relations={"author": (Song.album_id, Album.id, Album.author_id)},
    )
    list_title = _("Songs")
    show_title = _("Song")
    add_title = _("Add song")
    edit_title = _("Edit song")
    added_message = _("Song “%(name)s” added.")
    saved_message = _("Song “%(name)s” saved.")
    deleted_message = _("Song “%(name)s” deleted.")
    deleted_many_message = _("%(count)d song(s) deleted.")
    bulk_changes = (
        BulkChange(
            "set_rating",
            _("Set rating"),
            "rating",
            lambda: IntegerField(
                _("Rating (empty: none)"),
                validators=[Optional(), NumberRange(min=RATING_MIN, max=RATING_MAX)],
            ),
            _("%(count)d song(s) now rated %(value)s."),
            _("%(count)d song(s) were rated %(value)s already."),
        ),
        BulkChange(
            "set_genre",
            _("Set genre"),
            "genre",
            lambda: StringField(_("Genre (empty: none)"), validators=[Length(max=100)]),
            _("%(count)d song(s) now in genre “%(value)s”."),
            _("%(count)d song(s) were in genre “%(value)s” already."),
        ),
        BulkChange(
            "move_to_album",
            _("Move to album"),
            "album",
            lambda: PickerField(
                _("Album"), model=Album, kind="albums", validators=[DataRequired()]
            ),
            _("%(count)d song(s) moved to “%(value)s”."),
            _("%(count)d song(s) were on “%(value)s” already."),
        ),
    )

    label_columns = {
        "title": _("Title"),
        "album": _("Album"),
        "album.title": _("Album"),
        "author": _("Author"),
        "track_number": _("Track"),
        "rating": _("Rating"),
        "audio_file": _("Audio file"),
        "file_name": _("File"),
        "download": _("Download"),
        "player": _("Play"),
        "duration": _("Duration"),
        "technical_details": _("Audio"),
        "cover": _("Cover"),
        "genre": _("Genre"),
        "year": _("Year"),
        "uploaded_by": _("Uploaded by"),
        "uploaded_at": _("Uploaded at"),
    }
    list_columns = [
        "title",
        "album.title",
        "author",
        "track_number",
        "duration",
        "rating",
        "player",
        "file_name",
        "download",
    ]
    order_columns = ["title", "album.title", "track_number", "duration", "rating"]
    phone_layout = PhoneLayout(hidden=("track_number", "file_name", "download"))
    #: Buttons next to "add" on the list, for those who may add.
    list_links = (("SongModelView.upload", _("Upload several files"), "fa-upload"),)
    export_name = "songs"
    export_columns = (
        ("id", _("Song ID")),
        ("title", _("Title")),
        ("album_id", _("Album ID")),
        ("album.title", _("Album")),
        ("album.author_id", _("Author ID")),
        ("album.author.name", _("Author")),
        ("track_number", _("Track")),
        ("duration", _("Duration (seconds)")),
        ("rating", _("Rating")),
        ("genre", _("Genre")),
        ("original_filename", _("File")),
    )
    base_order = ("title", "asc")
    search_columns = [
        "title",
        "album",
        "author",
        "genre",
        "year",
        "rating",
        "track_number",
        "uploaded_at",
    ]
    show_columns = [
        "cover",
        "title",
        "album",
        "author",
        "track_number",
        "rating",
        "duration",
        "player",
        "genre",
        "year",
        "technical_details",
        "file_name",
        "download",
        "uploaded_by",
        "uploaded_at",
    ]
    add_columns = edit_columns = SONG_FORM_COLUMNS
    formatters_columns = {
        "duration": format_duration,
        "rating": rating_stars,
        "uploaded_at": local_datetime,
    }
    description_columns = {
        "rating": _("From %(min)d to %(max)d.", min=RATING_MIN, max=RATING_MAX),
    }
    validators_columns = {
        "rating": [NumberRange(min=RATING_MIN, max=RATING_MAX)],
        "track_number": [NumberRange(min=TRACK_MIN, max=TRACK_MAX)],
    }
    search_form_extra_fields = {
        "album": PickerField(_("Album"), model=Album, kind="albums"),
        "author": PickerField(_("Author"), model=Author, kind="authors"),
    }
    add_form_extra_fields = song_form_fields(adding=True)
    edit_form_extra_fields = song_form_fields(adding=False)

    def trail(self, song: Song) -> list[tuple[str, str | None]]:
        """Author, then album, then the song."""
        album = song.album
        return [
            (album.author.name, url_for("AuthorModelView.show", pk=album.author_id)),
            (album.title, url_for("AlbumModelView.show", pk=album.id)),
            (song.title, None),
        ]

    def song_or_404(self, pk: int) -> Song:
        """The song with this id, through the view's filters."""
        song = self.datamodel.get(pk, self._base_filters)
        if song is None:
            abort(404)
        return song

    @expose("/download/<int:pk>")
    @has_access
    def download(self, pk: int):
        """Send a song's file as an attachment under its original name."""
        song = self.song_or_404(pk)
        return send_stored(
            audio_storage(),
            song.audio_file,
            mimetype=song.mime_type,
            as_attachment=True,
            download_name=display_name(song.original_filename),
        )

    @expose("/stream/<int:pk>")
    @has_access
    @permission_name("stream")
    def stream(self, pk: int):
        """Play a song inline: byte ranges (206/416), ETag and Last-Modified (304)."""
        song = self.song_or_404(pk)
        return send_stored(
            audio_storage(),
            song.audio_file,
            mimetype=song.mime_type,
            max_age=PRIVATE_MAX_AGE,
            download_name=display_name(song.original_filename),
        )
