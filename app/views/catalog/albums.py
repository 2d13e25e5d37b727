"""CRUD views for authors and albums (with album covers)."""

from flask import abort, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import format_decimal, ngettext
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import joinedload
from wtforms.validators import DataRequired, NumberRange

from app.fab.pickers import PickerField
from app.fab.table_rows import PhoneLayout
from app.media.audio import format_duration
from app.media.configured_stores import cover_store
from app.models import Album, Author, Song
from app.views.catalog.base import CatalogModelView
from app.views.catalog.columns import author_link, title_link
from app.views.catalog.covers import (
    AlbumCoverDataModel,
    album_cover_image,
    cover_form_fields,
)
from app.views.catalog.loudness_column import LOUDNESS, album_loudness
from app.views.catalog.record_pages import NamedRecordPage
from app.views.catalog.sending import PRIVATE_MAX_AGE, send_stored
from app.views.catalog.songs import SongModelView
from app.views.catalog.tracklists import RelatedListColumns
from app.views.catalog.validators import (
    UniqueAlbumTitlePerAuthor,
    albums_whose_title_the_author_has,
)
from app.views.editing.bulk import BulkChange
from app.views.listening.mark_column import YOURS, MarkedRows, mark_controls

FIRST_RECORDING_YEAR, LAST_PLAUSIBLE_YEAR = 1860, 2100


def format_song_totals(totals: tuple[int, float]) -> str:
    """An album's song count and playing time, e.g. "12 songs, 41:07"."""
    count, seconds = totals
    return ngettext(
        "%(count)s song, %(time)s",
        "%(count)s songs, %(time)s",
        count,
        count=format_decimal(count),
        time=format_duration(seconds),
    )


def author_picker(**options) -> PickerField:
    """An author chosen from suggestions as the user types."""
    return PickerField(_("Author"), model=Author, kind="authors", **options)


class AlbumModelView(MarkedRows, NamedRecordPage, RelatedListColumns, CatalogModelView):
    """Albums, each listing its songs in running order, with an uploaded or embedded cover."""

    route_base = "/albums"
    #: The routes that take a cover image (up to MAX_UPLOAD_LENGTH; the field bounds it).
    file_routes = ("add", "edit")
    datamodel = AlbumCoverDataModel(
        Album,
        list_load=(joinedload(Album.author),),
        computed={
            "cover": album_cover_image,
            "author": author_link,
            "author.name": author_link,
            "mine": mark_controls("album"),
            "loudness": album_loudness,
        },
        list_computed={"title": title_link("AlbumModelView.show")},
    )
    related_views = [SongModelView]
    # By track within one album is the running order (app/views/catalog/tracklists.py).
    related_orders = {"SongModelView": ("track_number", "asc")}
    related_hidden_columns = {"SongModelView": ("album.title", "author")}
    list_title = _("Albums")
    show_title = _("Album")
    add_title = _("Add album")
    edit_title = _("Edit album")
    added_message = _("Album “%(name)s” added.")
    saved_message = _("Album “%(name)s” saved.")
    deleted_message = _("Album “%(name)s” deleted.")
    deleted_many_message = _("%(count)d album(s) deleted.")
    bulk_changes = (
        BulkChange(
            "move_to_author",
            _("Move to author"),
            "author",
            lambda: PickerField(
                _("Author"), model=Author, kind="authors", validators=[DataRequired()]
            ),
            _("%(count)d album(s) moved to “%(value)s”."),
            _("%(count)d album(s) were by “%(value)s” already."),
            refusals=albums_whose_title_the_author_has,
        ),
    )

    label_columns = {
        "title": _("Title"),
        "release_year": _("Release year"),
        "author": _("Author"),
        "author.name": _("Author"),
        "cover": _("Cover"),
        "song_totals": _("Songs"),
        "mine": YOURS,
        "loudness": LOUDNESS,
    }
    list_columns = ["cover", "title", "author.name", "release_year", "mine"]
    export_name = "albums"
    export_columns = (
        ("id", _("Album ID")),
        ("title", _("Title")),
        ("author_id", _("Author ID")),
        ("author.name", _("Author")),
        ("release_year", _("Release year")),
        ("loudness_lufs", _("Loudness (LUFS)")),
        ("true_peak_db", _("True peak (dBTP)")),
        ("album_gain_db", _("Album gain (dB)")),
        ("album_peak", _("Album peak")),
    )
    phone_layout = PhoneLayout(primary="title", grid=True)
    order_columns = ["title", "author.name", "release_year"]
    base_order = ("title", "asc")
    search_columns = ["title", "author", "release_year"]
    show_columns = ["cover", "title", "mine", "author", "release_year", "song_totals", "loudness"]
    add_columns = ["title", "author", "release_year", "cover_upload"]
    edit_columns = [*add_columns, "remove_cover"]
    formatters_columns = {"song_totals": format_song_totals}
    search_form_extra_fields = {"author": author_picker()}
    add_form_extra_fields = {
        "author": author_picker(validators=[DataRequired()]),
        **cover_form_fields(editing=False),
    }
    edit_form_extra_fields = {
        "author": author_picker(validators=[DataRequired()]),
        **cover_form_fields(editing=True),
    }
    validators_columns = {
        "title": [UniqueAlbumTitlePerAuthor()],
        "release_year": [NumberRange(min=FIRST_RECORDING_YEAR, max=LAST_PLAUSIBLE_YEAR)],
    }
    delete_blocked_by = (
        Song.album_id,
        _("“{name}” still has {count} song(s); delete or move them first."),
    )

    def prefill_form(self, form, pk) -> None:
        """Show the album's current cover above the cover field."""
        album = self.datamodel.get(pk, self._base_filters)
        form.cover_upload.current = album_cover_image(album)

    def trail(self, album: Album) -> list[tuple[str, str | None]]:
        """The author, then the album."""
        author_page = url_for("AuthorModelView.show", pk=album.author_id)
        return [(album.author.name, author_page), (album.title, None)]

    @expose("/cover/<int:pk>")
    @has_access
    @permission_name("show")
    def cover(self, pk: int):
        """The album's cover image, to anyone who may see the album."""
        album = self.datamodel.get(pk, self._base_filters)
        if album is None:
            abort(404)
        return send_stored(
            cover_store(),
            album.cover_file,
            mimetype=album.cover_mime_type,
            max_age=PRIVATE_MAX_AGE,
        )
