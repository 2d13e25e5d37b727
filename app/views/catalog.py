"""CRUD views for authors and albums (with album covers)."""

from flask import abort
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from wtforms.validators import NumberRange

from app.models import Album, Author
from app.views.base import CatalogModelView
from app.views.datamodels import AlbumDataModel, CatalogDataModel, cover_storage
from app.views.sending import PRIVATE_MAX_AGE, send_stored
from app.views.songs import SongModelView
from app.views.validators import UniqueAlbumTitlePerAuthor

FIRST_RECORDING_YEAR, LAST_PLAUSIBLE_YEAR = 1860, 2100


class AlbumModelView(CatalogModelView):
    """Albums, each listing its songs."""

    route_base = "/albums"
    datamodel = AlbumDataModel(Album)
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
        "cover": _("Cover"),
        "playing_time": _("Songs"),
    }
    list_columns = ["cover", "title", "author.name", "release_year"]
    order_columns = ["title", "author.name", "release_year"]
    base_order = ("title", "asc")
    search_columns = ["title", "author", "release_year"]
    show_columns = ["cover", "title", "author", "release_year", "playing_time"]
    add_columns = edit_columns = ["title", "author", "release_year"]
    validators_columns = {
        "title": [UniqueAlbumTitlePerAuthor()],
        "release_year": [NumberRange(min=FIRST_RECORDING_YEAR, max=LAST_PLAUSIBLE_YEAR)],
    }
    delete_blocked_by = (
        "songs",
        _("“{name}” still has {count} song(s); delete or move them first."),
    )

    @expose("/cover/<int:pk>")
    @has_access
    @permission_name("show")
    def cover(self, pk: int):
        """The album's cover image, to anyone who may see the album."""
        album = self.datamodel.get(pk, self._base_filters)
        if album is None:
            abort(404)
        return send_stored(
            cover_storage(),
            album.cover_file,
            mimetype=album.cover_mime_type,
            conditional=True,
            max_age=PRIVATE_MAX_AGE,
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
