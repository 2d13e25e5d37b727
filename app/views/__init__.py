"""Registers every view of the application on an AppBuilder."""

from functools import wraps

from flask import Flask, abort, request
from flask_appbuilder import AppBuilder
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _

from app.fab.list_arguments import register_list_argument_checks
from app.fab.list_links import clear_filters_url, export_url, id_url, register_link_filters
from app.fab.menu import fragment, navbar_menu, register_api_docs_link
from app.fab.table_rows import ROW_ID, list_rows
from app.listening.plays import PLAY_AFTER_FRACTION, PLAY_AFTER_SECONDS
from app.views.catalog.albums import AlbumModelView
from app.views.catalog.authors import AuthorModelView
from app.views.catalog.columns import playing_time, rating_stars, song_player
from app.views.catalog.songs import SongModelView
from app.views.editing.history import (
    HISTORY_LABELS,
    ChangeModelView,
    MyChangesView,
    changed_fields,
    who,
)
from app.views.listening.listener_marks import ListenerDataView
from app.views.listening.mark_column import mark_controls
from app.views.listening.play_queue import PlayQueueView
from app.views.my_music import register_my_music
from app.views.search.catalog_search import CatalogSearchView
from app.views.setlists import register_setlist_views
from app.views.site.jobs import JobsView
from app.web.language import install_gettext
from app.web.pages import local_datetime, readable_size


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
    appbuilder.add_view_no_menu(CatalogSearchView())
    appbuilder.add_view_no_menu(PlayQueueView())
    appbuilder.add_view_no_menu(ListenerDataView())
    register_my_music(appbuilder)
    appbuilder.add_view(
        ChangeModelView,
        "Recent changes",
        label=_("Recent changes"),
        icon="fa-history",
        category="Catalog",
    )
    appbuilder.add_view(
        MyChangesView, "My changes", label=_("My changes"), icon="fa-pencil", category="Catalog"
    )
    register_setlist_views(appbuilder)
    appbuilder.add_view(JobsView, "Jobs", label=_("Jobs"), icon="fa-tasks", category="Security")
    register_api_docs_link(appbuilder)


def disable_generic_file_downloads(app: Flask) -> None:
    """Turn FAB's `/download/<filename>` routes (security views included) into 404s.

    They serve any file in UPLOAD_FOLDER by name to anyone with `can_download` on
    that view; song files have their own per-song, permission-checked endpoints.
    """
    for rule in app.url_map.iter_rules():
        if rule.rule.endswith("/download/<string:filename>"):
            app.view_functions[rule.endpoint] = refuse_generic_download


def refuse_generic_download(**_route_values):
    """The stand-in for FAB's generic download routes."""
    abort(404)


def refuse_unknown_actions(app: Flask) -> None:
    """Answer 404 for an action a view does not have at that address, on every view
    (security views too).

    FAB looks the name up and calls `.func` on None: a 500 anyone can trigger, even
    anonymously through `/<view>/action/<name>/<pk>`, which is not permission-checked.
    Its one-row route also calls a list-only action (delete selected) with one row, and
    its list route a one-row action (end a user's sessions) with a list.
    """
    for rule in app.url_map.iter_rules():
        route = rule.endpoint.rsplit(".", 1)[-1]
        if route in ("action", "action_post"):
            app.view_functions[rule.endpoint] = known_actions_only(
                app.view_functions[rule.endpoint], one_row=route == "action"
            )


def known_actions_only(handler, one_row: bool):
    """Wrap a view's action route: unknown actions, and actions not offered for one row
    (`action`) or for a list (`action_post`), get a 404."""
    view = handler.__self__

    @wraps(handler)
    def checked(**route_values):
        name = route_values.get("name", request.form.get("action"))
        action = view.actions.get(name)
        if action is None or not (action.single if one_row else action.multiple):
            abort(404)
        return handler(**route_values)

    return checked


def register_rendering(app: Flask) -> None:
    """Template helpers that keep pages fast at any size, and JSON sent as UTF-8 text."""
    # Names come back as stored ("Björk"), not as \u escapes.
    app.json.ensure_ascii = False
    app.add_template_global(id_url)
    for helper in (song_player, rating_stars, playing_time, readable_size, format_decimal):
        app.add_template_global(helper)
    app.add_template_global(navbar_menu)
    app.add_template_global(fragment)
    app.add_template_global(list_rows)
    app.add_template_global(clear_filters_url)
    app.add_template_global(export_url)
    app.add_template_global(local_datetime)
    app.add_template_global(HISTORY_LABELS, "history_labels")
    app.add_template_global(changed_fields)
    app.add_template_global(who, "change_author")
    app.add_template_global(ROW_ID, "ROW_ID")
    # The web player reports a play by the rule app/listening/plays.py keeps.
    rule = {"seconds": PLAY_AFTER_SECONDS, "fraction": PLAY_AFTER_FRACTION}
    app.add_template_global(rule, "play_rule")
    # The home page's song rows carry the user's heart and stars (one query per page).
    app.add_template_global(mark_controls("song"), "song_marks")
    register_link_filters(app)
    register_list_argument_checks(app)
    install_gettext(app)
