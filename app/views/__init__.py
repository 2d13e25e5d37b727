"""Registers every view of the application on an AppBuilder."""

from flask import Flask
from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _
from flask_wtf.csrf import CSRFError

from app.views.catalog import AlbumModelView, AuthorModelView, SongModelView
from app.views.home import form_expired, too_many_requests, upload_too_large


def register_views(appbuilder: AppBuilder) -> None:
    """Add the catalog views and menus."""
    appbuilder.add_view(
        AuthorModelView,
        "Authors",
        label=_("Authors"),
        icon="fa-user",
        category="Catalog",
        category_label=_("Catalog"),
        category_icon="fa-music",
    )
    appbuilder.add_view(
        AlbumModelView, "Albums", label=_("Albums"), icon="fa-folder-open", category="Catalog"
    )
    appbuilder.add_view(
        SongModelView, "Songs", label=_("Songs"), icon="fa-music", category="Catalog"
    )


def register_error_handlers(app: Flask) -> None:
    """Friendly pages for errors a user can cause."""
    app.register_error_handler(413, upload_too_large)
    app.register_error_handler(CSRFError, form_expired)
    app.register_error_handler(429, too_many_requests)
