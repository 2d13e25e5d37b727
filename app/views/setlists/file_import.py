"""`/setlists/import`: a playlist file (M3U/M3U8, XSPF, CSV) becomes a new setlist of the
importer's, its lines matched against the catalog (app/setlists/matching.py); nothing is
created in the catalog.

The route is one of the view's `file_routes`, so its body may be as large as an upload's
(MAX_UPLOAD_LENGTH, app/request_checks.py) and a file over the import's own 5 MB gets its
message next to the field, as the album form's cover does; only the file's first 5 MB and
one byte are read. A refused file (too big, binary, DTD, empty, too many lines, not text)
creates nothing. The answer to the POST is the report itself (file_report.py): reloading it
asks the browser to send the file again, and the report names the new setlist's page.
"""

from pathlib import PurePosixPath

from flask import url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from app.extensions import db
from app.models.setlists import NAME_LENGTH, SetlistEntry
from app.security.roles import SETLIST_VIEW
from app.security.setlist_access import current_actor
from app.setlists.entries import add_songs
from app.setlists.formats import PlaylistError
from app.setlists.matching import match_lines
from app.setlists.parsing import MAX_BYTES, MAX_ENTRIES, Playlist, base_name, read_playlist
from app.setlists.rules import SetlistRefused, create
from app.views.setlists.file_report import report_lines

PLAYLIST_ACCEPT = ".m3u,.m3u8,.xspf,.csv,audio/x-mpegurl,application/xspf+xml,text/csv"
CHOOSE_A_FILE = _("Choose a playlist file.")
NAME_TOO_LONG = _("A setlist's name has at most %(max)d characters.")
#: The name of a setlist whose file gave none (no name field, title or file name).
IMPORTED = _("Imported playlist")


class PlaylistImportForm(FlaskForm):
    """A playlist file and, optionally, the new setlist's name."""

    playlist = FileField(
        _("Playlist file"),
        validators=[FileRequired(CHOOSE_A_FILE)],
        render_kw={"accept": PLAYLIST_ACCEPT},
    )
    name = StringField(
        _("Name of the new setlist (optional)"),
        validators=[Optional(), Length(max=NAME_LENGTH, message=NAME_TOO_LONG)],
    )


def setlist_name(form: PlaylistImportForm, playlist: Playlist) -> str:
    """The name from the form, else the playlist's title, else the file's name without its
    extension, else "Imported playlist"; at most NAME_LENGTH characters."""
    stem = PurePosixPath(base_name(form.playlist.data.filename) or "").stem
    for name in ((form.name.data or "").strip(), playlist.title, stem):
        if name and name.strip():
            return name.strip()[:NAME_LENGTH]
    return str(IMPORTED)


def note_of(text: str | None) -> str | None:
    """A line's note as an entry keeps it (at most the column's length)."""
    note = (text or "").strip()[: SetlistEntry.note.type.length]
    return note or None


class PlaylistImportView(BaseView):
    """The import page and its report, for whoever may create setlists."""

    route_base = "/setlists"
    class_permission_name = SETLIST_VIEW
    method_permission_name = {"import_playlist": "add"}
    default_view = "import_playlist"
    #: Bodies as large as an upload's reach the form (app/request_checks.py).
    file_routes = ("import_playlist",)

    @expose("/import", methods=["GET", "POST"])
    @has_access
    def import_playlist(self):
        """The form (GET); the new setlist and its report (POST), or the form with what was
        wrong next to its field."""
        form = PlaylistImportForm()
        if not form.validate_on_submit():
            return self.form_page(form)
        upload = form.playlist.data
        try:
            playlist = read_playlist(upload.stream, upload.filename or "")
        except PlaylistError as refused:
            form.playlist.errors = [gettext(refused.message, **refused.params)]
            return self.form_page(form)
        actor = current_actor()
        matches = match_lines(db.session, playlist.entries)
        matched = [match for match in matches if match.song_id is not None]
        try:
            setlist = create(db.session, actor.user_id, setlist_name(form, playlist))
            added = add_songs(
                db.session, setlist, [match.song_id for match in matched], actor.user_id
            )
        except SetlistRefused as refused:
            db.session.rollback()
            form.playlist.errors = [gettext(refused.message, **refused.values)]
            return self.form_page(form)
        for entry, match in zip(added.entries, matched, strict=False):
            if match.wanted.note:  # most lines have none: no change to track for them
                entry.note = note_of(match.wanted.note)
        db.session.commit()
        return self.render_template(
            "setlists/import_report.html",
            title=gettext("Imported: %(name)s", name=setlist.name),
            setlist_name=setlist.name,
            setlist_url=url_for("SetlistModelView.show", pk=setlist.id),
            lines=report_lines(matches),
            matched=len(added.entries),
            total=len(matches),
            notices=[gettext(notice) for notice in playlist.notices],
        )

    def form_page(self, form: PlaylistImportForm):
        """The import form (with any errors beside their fields)."""
        return self.render_template(
            "setlists/import.html",
            title=gettext("Import a playlist"),
            form=form,
            max_megabytes=MAX_BYTES // 2**20,
            max_entries=MAX_ENTRIES,
        )
