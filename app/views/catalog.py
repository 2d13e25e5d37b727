"""CRUD views for authors, albums and songs, with the song file download."""

from flask import abort, send_file
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _
from wtforms.validators import NumberRange

from app.media.probe import format_duration
from app.media.storage import UnsafeStoredName
from app.models import Album, Author, Song
from app.models.catalog import RATING_MAX, RATING_MIN, TRACK_MAX, TRACK_MIN
from app.views.base import CatalogModelView
from app.views.datamodels import CatalogDataModel, SongDataModel, audio_storage
from app.views.fields import AudioUploadField
from app.views.validators import UniqueAlbumTitlePerAuthor

FIRST_RECORDING_YEAR, LAST_PLAUSIBLE_YEAR = 1860, 2100

SONG_FORM_COLUMNS = ["title", "album", "track_number", "rating", "audio_file"]
AUDIO_ACCEPT = ".mp3,.ogg,.oga,.flac,.m4a,.wav,audio/*"


class SongModelView(CatalogModelView):
    """Songs: list, search, edit, upload and download their audio files."""

    route_base = "/songs"
    datamodel = SongDataModel(Song)
    list_title = _("Songs")
    show_title = _("Song")
    add_title = _("Add song")
    edit_title = _("Edit song")

    label_columns = {
        "title": _("Title"),
        "album": _("Album"),
        "album.title": _("Album"),
        "author": _("Author"),
        "track_number": _("Track"),
        "rating": _("Rating"),
        "audio_file": _("Audio file"),
        "file_name": _("File"),
        "original_filename": _("File"),
        "download": _("Download"),
        "duration": _("Duration"),
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
        "file_name",
        "download",
    ]
    order_columns = ["title", "album.title", "track_number", "duration", "rating"]
    base_order = ("title", "asc")
    search_columns = ["title", "album", "rating", "track_number", "uploaded_at"]
    show_columns = [
        "title",
        "album",
        "author",
        "track_number",
        "rating",
        "duration",
        "file_name",
        "download",
        "uploaded_by",
        "uploaded_at",
    ]
    add_columns = SONG_FORM_COLUMNS
    edit_columns = SONG_FORM_COLUMNS
    formatters_columns = {"duration": format_duration}
    description_columns = {
        "rating": _("From %(min)d to %(max)d.", min=RATING_MIN, max=RATING_MAX),
        "audio_file": _("MP3, Ogg, FLAC, M4A or WAV."),
    }
    validators_columns = {
        "rating": [NumberRange(min=RATING_MIN, max=RATING_MAX)],
        "track_number": [NumberRange(min=TRACK_MIN, max=TRACK_MAX)],
    }
    add_form_extra_fields = {
        "audio_file": AudioUploadField(
            _("Audio file"), required=True, render_kw={"accept": AUDIO_ACCEPT}
        )
    }
    edit_form_extra_fields = {
        "audio_file": AudioUploadField(
            _("Replace audio file"),
            required=False,
            render_kw={"accept": AUDIO_ACCEPT},
            description=_("Leave empty to keep the current file."),
        )
    }

    @expose("/download/<int:pk>")
    @has_access
    def download(self, pk: int):
        """Send a song's file as an attachment under its original name."""
        song = self.datamodel.get(pk, self._base_filters)
        if song is None:
            abort(404)
        try:
            path = audio_storage().path_for(song.audio_file)
        except UnsafeStoredName:
            abort(404)
        if not path.is_file():
            abort(404)
        return send_file(path, as_attachment=True, download_name=song.original_filename)


class AlbumModelView(CatalogModelView):
    """Albums, each listing its songs."""

    route_base = "/albums"
    datamodel = CatalogDataModel(Album)
    related_views = [SongModelView]
    list_title = _("Albums")
    show_title = _("Album")
    add_title = _("Add album")
    edit_title = _("Edit album")

    label_columns = {
        "title": _("Title"),
        "release_year": _("Release year"),
        "author": _("Author"),
        "author.name": _("Author"),
    }
    list_columns = ["title", "author.name", "release_year"]
    order_columns = ["title", "author.name", "release_year"]
    base_order = ("title", "asc")
    search_columns = ["title", "author", "release_year"]
    show_columns = ["title", "author", "release_year"]
    add_columns = edit_columns = ["title", "author", "release_year"]
    validators_columns = {
        "title": [UniqueAlbumTitlePerAuthor()],
        "release_year": [NumberRange(min=FIRST_RECORDING_YEAR, max=LAST_PLAUSIBLE_YEAR)],
    }
    delete_blocked_by = (
        "songs",
        _("“{name}” still has {count} song(s); delete or move them first."),
    )


class AuthorModelView(CatalogModelView):
    """Authors, each listing their albums."""

    route_base = "/authors"
    datamodel = CatalogDataModel(Author)
    related_views = [AlbumModelView]
    list_title = _("Authors")
    show_title = _("Author")
    add_title = _("Add author")
    edit_title = _("Edit author")

    label_columns = {
        "name": _("Name"),
        "country": _("Country"),
        "biography": _("Biography"),
    }
    list_columns = ["name", "country"]
    order_columns = ["name", "country"]
    base_order = ("name", "asc")
    search_columns = ["name", "country", "biography"]
    show_columns = ["name", "country", "biography"]
    add_columns = edit_columns = ["name", "country", "biography"]
    delete_blocked_by = (
        "albums",
        _("“{name}” still has {count} album(s); delete or move them first."),
    )
