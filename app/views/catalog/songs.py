"""Songs: upload (checked, tagged, de-duplicated), stream with seeking, download."""

from flask import abort, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import joinedload
from wtforms import StringField
from wtforms.validators import DataRequired, Length, NumberRange

from app.fab.pickers import PickerField
from app.fab.table_rows import PhoneLayout
from app.media.audio import format_duration
from app.media.configured_stores import audio_store
from app.media.file_store import display_name
from app.models import Album, Author, Song
from app.models.catalog import DISC_MAX, DISC_MIN, RATING_MAX, RATING_MIN, TRACK_MAX, TRACK_MIN
from app.views.catalog.base import CatalogModelView
from app.views.catalog.columns import (
    album_link,
    rating_stars,
    song_author_link,
    song_download,
    song_player,
    title_link,
)
from app.views.catalog.covers import album_cover_image
from app.views.catalog.loudness_column import LOUDNESS, song_loudness
from app.views.catalog.multi_upload import MultiUploadMixin
from app.views.catalog.record_pages import NamedRecordPage
from app.views.catalog.sending import PRIVATE_MAX_AGE, send_stored
from app.views.catalog.song_fields import song_form_fields
from app.views.catalog.song_forms import SongForms
from app.views.catalog.song_waveform import WAVEFORM, SongWaveformRoute, song_waveform
from app.views.catalog.tracklists import SongListDataModel
from app.views.catalog.transcoded import asked_profile, web_transcoded
from app.views.editing.bulk import BulkChange
from app.views.editing.bulk_rating import rating_change
from app.views.listening.mark_column import YOURS, MarkedRows, mark_controls
from app.web.pages import local_datetime

SONG_FORM_COLUMNS = [
    "audio_file",
    "title",
    "album",
    "track_number",
    "disc_number",
    "rating",
    "force_duplicate",
]


class SongModelView(
    SongWaveformRoute, MarkedRows, NamedRecordPage, SongForms, MultiUploadMixin, CatalogModelView
):
    """Songs: list, search, edit, upload, play and download their audio files."""

    route_base = "/songs"
    #: The routes that take an audio file, up to MAX_UPLOAD_LENGTH (app/request_checks.py).
    file_routes = ("add", "edit", "upload_file")
    datamodel = SongListDataModel(
        Song,
        list_load=(joinedload(Song.album).joinedload(Album.author),),
        computed={
            "player": song_player,
            "download": song_download,
            "cover": lambda song: album_cover_image(song.album),
            "album": album_link,
            "album.title": album_link,
            "author": song_author_link,
            "mine": mark_controls("song"),
            "loudness": song_loudness,
            "waveform": song_waveform,
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
    # Whoever may play songs sees "Add to setlist"; the page it opens asks for can_edit on
    # setlists (app.views.setlists.adding, reached by endpoint name: catalog views never
    # import setlist views).
    method_permission_name = {"delete_selected": "delete", "add_to_setlist": "stream"}
    bulk_changes = (
        rating_change(),
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
        "disc_number": _("Disc"),
        "rating": _("Rating"),
        "audio_file": _("Audio file"),
        "file_name": _("File"),
        "download": _("Download"),
        "player": _("Play"),
        "mine": YOURS,
        "duration": _("Duration"),
        "technical_details": _("Audio"),
        "loudness": LOUDNESS,
        "waveform": WAVEFORM,
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
        "mine",
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
        ("loudness_lufs", _("Loudness (LUFS)")),
        ("loudness_range", _("Loudness range (LU)")),
        ("true_peak_db", _("True peak (dBTP)")),
        ("track_gain_db", _("Track gain (dB)")),
        ("track_peak", _("Track peak")),
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
    # Play comes first after the title: on a phone it is on the first screen.
    show_columns = [
        "cover",
        "title",
        "player",
        "waveform",
        "mine",
        "album",
        "author",
        "disc_number",
        "track_number",
        "duration",
        "rating",
        "genre",
        "year",
        "technical_details",
        "loudness",
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
        "disc_number": [NumberRange(min=DISC_MIN, max=DISC_MAX)],
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

    @action("add_to_setlist", _("Add to setlist"), None, "fa-list-ul", single=False)
    def add_to_setlist(self, items):
        """List action: the ticked songs, in the list's order, to the page that adds them."""
        ids = ",".join(str(item.id) for item in items if item is not None)
        return redirect(url_for("SetlistAddingView.bulk", ids=ids))

    def song_or_404(self, pk: int) -> Song:
        """The song with this id, through the view's filters."""
        song = self.datamodel.get(pk, self._base_filters)
        if song is None:
            abort(404)
        return song

    def send_song(self, pk: int, **how):
        """Send a song's file from the audio store under its original name (as `how` says:
        inline for players, or as an attachment)."""
        song = self.song_or_404(pk)
        return send_stored(
            audio_store(),
            song.audio_file,
            mimetype=song.mime_type,
            download_name=display_name(song.original_filename),
            **how,
        )

    @expose("/download/<int:pk>")
    @has_access
    def download(self, pk: int):
        """Send a song's file as an attachment under its original name."""
        return self.send_song(pk, as_attachment=True)

    @expose("/stream/<int:pk>")
    @has_access
    @permission_name("stream")
    def stream(self, pk: int):
        """Play a song inline: byte ranges (206/416), ETag and Last-Modified (304); with
        `?profile=opus-96` (mp3-128, mp3-192), transcoded (app/views/catalog/transcoded.py)."""
        profile = asked_profile()
        if profile is not None:
            return web_transcoded(self.song_or_404(pk), profile)
        return self.send_song(pk, max_age=PRIVATE_MAX_AGE)
