"""Setlists as files: the export links on a setlist's page, the export routes
(file_export.py) and the import page with its report (file_import.py, file_report.py)."""

from flask import current_app, render_template, url_for
from flask_appbuilder import AppBuilder
from markupsafe import Markup

from app.security.roles import SETLIST_VIEW
from app.views.setlists.file_export import FORMATS, SetlistFileView
from app.views.setlists.file_import import PlaylistImportView


def files_section(setlist, actor) -> Markup:
    """The setlist page's "Export" links (M3U8, XSPF, CSV) and, for those who may create
    setlists, "Import a playlist"; the page has already checked the actor may see it."""
    links = [
        (kind.upper(), url_for("SetlistFileView.export", pk=setlist.id, kind=kind))
        for kind in FORMATS
    ]
    may_import = actor.user_id is not None and current_app.appbuilder.sm.has_access(
        "can_add", SETLIST_VIEW
    )
    import_url = url_for("PlaylistImportView.import_playlist") if may_import else None
    html = render_template("setlists/_files.html", links=links, import_url=import_url)
    return Markup(html)  # noqa: S704 - an autoescaped template's output


def register(appbuilder: AppBuilder) -> None:
    """Add the export routes and the import page."""
    appbuilder.add_view_no_menu(SetlistFileView)
    appbuilder.add_view_no_menu(PlaylistImportView)
