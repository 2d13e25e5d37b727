"""CRUD views for authors."""

from flask_babel import lazy_gettext as _

from app.fab.datamodels import CatalogDataModel
from app.models import Album, Author
from app.views.catalog.albums import AlbumModelView
from app.views.catalog.base import CatalogModelView
from app.views.catalog.columns import title_link
from app.views.catalog.record_pages import NamedRecordPage
from app.views.catalog.tracklists import RelatedListColumns
from app.views.listening.mark_column import YOURS, MarkedRows, mark_controls


class AuthorModelView(MarkedRows, NamedRecordPage, RelatedListColumns, CatalogModelView):
    """Authors, each listing their albums."""

    name_attribute = "name"

    route_base = "/authors"
    datamodel = CatalogDataModel(
        Author,
        computed={"mine": mark_controls("author")},
        list_computed={"name": title_link("AuthorModelView.show", "name")},
    )
    related_views = [AlbumModelView]
    related_hidden_columns = {"AlbumModelView": ("author.name",)}
    list_title = _("Authors")
    show_title = _("Author")
    add_title = _("Add author")
    edit_title = _("Edit author")
    added_message = _("Author “%(name)s” added.")
    saved_message = _("Author “%(name)s” saved.")
    deleted_message = _("Author “%(name)s” deleted.")
    deleted_many_message = _("%(count)d author(s) deleted.")

    label_columns = {
        "name": _("Name"),
        "country": _("Country"),
        "biography": _("Biography"),
        "mine": YOURS,
    }
    list_columns = ["name", "country", "mine"]
    export_name = "authors"
    export_columns = (("id", _("Author ID")), ("name", _("Name")), ("country", _("Country")))
    order_columns = ["name", "country"]
    base_order = ("name", "asc")
    search_columns = ["name", "country", "biography"]
    show_columns = ["name", "mine", "country", "biography"]
    add_columns = edit_columns = ["name", "country", "biography"]
    delete_blocked_by = (
        Album.author_id,
        _("“{name}” still has {count} album(s); delete or move them first."),
    )
