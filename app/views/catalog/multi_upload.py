"""Many songs at once: a page that takes dropped or picked files (folders too) and sends each
on its own.

Each file goes through the add-song form itself (the same field checks, duplicate rule,
tag filling and file lifecycle), one request per file, so one bad file never costs the
others and each gets its own answer in JSON. A file whose tags name no album lands where
`flask catalog import` would put it (app/media/placement.py): the album chosen on the page,
else its folders, else "Unknown".

A refusal the page expects (a duplicate, a file that is not audio) is an answer, not an
error: 200 with its outcome, so browsers log no failed request for it. Errors stay errors
(401/403, 413, 429, 503 worth another try).
"""

from flask import current_app, jsonify, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _

from app.database import as_integer
from app.extensions import db
from app.fab.kinds import KINDS
from app.media.cataloguing import upload_hints
from app.media.file_store import StoreUnavailable
from app.models import Album
from app.views.catalog.song_saving import SongNotSaved, plain, save_song
from app.web.json_answers import answers_json
from app.web.store_outage import store_down_json


class MultiUploadMixin:
    """The song view's upload page (`/songs/upload`) and its one-file endpoint."""

    @expose("/upload")
    @has_access
    @permission_name("add")
    def upload(self):
        """The page: drop or pick files and folders, an album for them all (optional; preset
        by ?album=<id>, as an album page's link says)."""
        form = self.add_form.refresh()
        form.album.data = preset_album()
        return self.render_template(
            "setlist/upload.html",
            title=str(_("Upload songs")),
            album_field=form.album,
            accept=form.audio_file.render_kw.get("accept", ""),
            max_size=current_app.config["MAX_UPLOAD_LENGTH"],
            album_needed=not current_app.config["CATALOG_CREATE_FROM_TAGS"],
        )

    @expose("/upload/file", methods=["POST"])
    @has_access
    @permission_name("add")
    @answers_json
    def upload_file(self):
        """One file through the add form: 201 added; 200 with its outcome when it is already
        there or refused; 503 when storage or the database failed (worth another try)."""
        return self.upload_one(first_try=True)

    def upload_one(self, first_try: bool):
        """upload_file's work; tried again once when another upload created the same new
        author or album a moment before (the page sends two files of one folder at once)."""
        form = self.add_form.refresh()
        if not form.validate():
            if form.audio_file.store_down is not None:  # a kept file could not be read
                return store_down_json(form.audio_file.store_down, status="refused")
            duplicate = getattr(form.audio_file, "duplicate", None)
            if duplicate is not None:
                url = url_for("SongModelView.show", pk=duplicate.id)
                return upload_answer("duplicate", 200, plain(form.audio_file.errors[0]), url=url)
            errors = {name: [plain(e) for e in field] for name, field in form.errors.items()}
            first = next(iter(errors.values()))[0]
            return upload_answer("refused", 200, first, errors=errors)
        song = self.datamodel.obj()
        hints = upload_hints(request.form.get("relative_path"), form.audio_file.data.filename)
        try:
            save_song(self, form, song, adding=True, hints=hints)
        except DatabaseException as refused:
            if first_try and lost_race_for_names(refused):
                db.session.rollback()
                return self.upload_one(first_try=False)  # finds what the other one made
            return upload_answer("refused", 200, str(refused))
        except SongNotSaved as failed:  # our failure, not the file's: worth another try
            return upload_answer("refused", 503, str(failed))
        except StoreUnavailable as failure:
            return store_down_json(failure, status="refused")
        self.post_add(song)
        url = url_for("SongModelView.show", pk=song.id)
        return upload_answer("added", 201, str(self.add_row_message), url=url, title=song.title)


#: The unique rules on authors' names and albums' titles (PostgreSQL's and SQLite's words).
NAME_RULES = ("author_name_key", "author.name", "uq_album_author_title", "album.author_id")


def lost_race_for_names(refused: DatabaseException) -> bool:
    """Whether the database refused a new author or album that another request has just
    created under the same name (both saw none; the second insert breaks the unique rule)."""
    reason = str(refused.__cause__)
    return any(rule in reason for rule in NAME_RULES)


def preset_album() -> Album | None:
    """The album the page's address names (?album=<id>) if it exists and the user may see
    albums; anything else is ignored."""
    # FAB's related lists put `_flt_0_album` on their links (an album page's song list).
    album_id = as_integer(request.args.get("album") or request.args.get("_flt_0_album", ""))
    if album_id is None or not KINDS["albums"].visible():
        return None
    return db.session.get(Album, album_id)


def upload_answer(status: str, code: int, message: str, **details):
    """One file's answer in the app's JSON style ("message", "errors"), with its outcome
    ("added", "duplicate", "refused") and the song's page ("url") when there is one.

    The page reads the outcome, not the status code: expected refusals answer 200."""
    return jsonify({"status": status, "message": message, **details}), code
