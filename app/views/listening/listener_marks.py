"""/api/v1/mine/...: the signed-in listener's stars, ratings and plays, for the web pages.

A thin door onto app/listening/marks.py and plays.py (the Subsonic API is another). Writes
need the page's CSRF token in X-CSRFToken (the app-wide check), like the play queue's.
"""

from flask import current_app, jsonify, request
from flask_appbuilder import BaseView, expose
from flask_babel import lazy_gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from app.extensions import db
from app.listening import marks, plays
from app.listening.marks import MarkRefused, NoSuchRow
from app.listening.queue import N_, is_whole
from app.views.listening.play_queue import NOT_JSON_TEXT, refusal_answer
from app.web.json_answers import answers_json, json_error, json_object

#: The view whose permission lets a user keep their own stars, ratings and plays.
MINE_VIEW = "ListenerDataView"
MINE_PERMISSION = "can_keep"
MAX_BODY = 1024
#: The longest a song may have been heard, in milliseconds (a day).
MAX_HEARD_MS = 24 * 3600 * 1000
#: The field each mark's body sends ({"starred": true} to /star, {"rating": 4} to /rating).
MARK_FIELDS = {"star": "starred", "rating": "rating"}
NO_SUCH = {
    "song": _("There is no such song."),
    "album": _("There is no such album."),
    "author": _("There is no such author."),
}


def may_keep_own() -> bool:
    """Whether the signed-in user may star, rate and record plays (asked once per request)."""
    return current_user.is_authenticated and current_app.appbuilder.sm.has_access(
        MINE_PERMISSION, MINE_VIEW
    )


def refused():
    """401 for visitors, 403 for accounts without the permission; None when allowed."""
    if not current_user.is_authenticated:
        return json_error(401, _("Log in to keep favourites, ratings and plays."))
    if not may_keep_own():
        return json_error(403, _("Your account may not keep favourites, ratings and plays."))
    return None


def sent_value(name: str):
    """The `name` field of a small JSON object body; MarkRefused for anything else."""
    return sent_values(name)[name]


def sent_values(*names: str) -> dict:
    """A small JSON object body holding these fields; MarkRefused for anything else."""
    if len(request.get_data()) > MAX_BODY:
        raise RequestEntityTooLarge()
    data = json_object()
    if data is None:
        raise MarkRefused("", NOT_JSON_TEXT)
    for name in names:
        if name not in data:
            raise MarkRefused(name, N_("Send %(name)s."), name=name)
    return data


def written(change):
    """Run a change of the user's own data and commit; the JSON error answer if refused."""
    try:
        result = change()
        db.session.commit()
    except MarkRefused as bad:
        db.session.rollback()
        return None, refusal_answer(bad)
    except NoSuchRow as missing:
        db.session.rollback()
        return None, json_error(404, NO_SUCH[str(missing.args[0])])
    except IntegrityError:
        # The same user on another device wrote the same row at the same moment.
        db.session.rollback()
        return None, json_error(409, _("That changed meanwhile; try again."))
    return result, None


class ListenerDataView(BaseView):
    """The signed-in listener's own favourites, ratings and plays (JSON)."""

    route_base = "/api/v1/mine"
    base_permissions = [MINE_PERMISSION]

    @expose("/<kind>/<int:item_id>/<any(star, rating):mark>", methods=["PUT"])
    @answers_json
    def mark(self, kind: str, item_id: int, mark: str):
        """Star ({"starred": true}, false unstars) or rate ({"rating": 1-5}, 0 clears) a
        song, album or author."""
        if refusal := refused():
            return refusal
        field = MARK_FIELDS[mark]

        def change():
            value = sent_value(field)
            if mark == "rating":
                marks.rate(db.session, current_user.id, kind, item_id, value)
            elif isinstance(value, bool):
                marks.star(db.session, current_user.id, kind, item_id, value)
            else:
                raise MarkRefused(field, N_("Send true or false."))
            return value

        value, error = written(change)
        return error or jsonify({"kind": kind, "id": item_id, field: value})

    @expose("/plays", methods=["POST"])
    @answers_json
    def play(self):
        """The web player heard a song for {"heard_ms"} since it started it: a play when that
        passes half the song or four minutes (app/listening/plays.py decides)."""
        if refusal := refused():
            return refusal

        def change():
            sent = sent_values("song", "heard_ms")
            song_id, heard_ms = sent["song"], sent["heard_ms"]
            if not is_whole(heard_ms, 0) or heard_ms > MAX_HEARD_MS:
                raise MarkRefused("heard_ms", N_("Send how long it was heard, in milliseconds."))
            return song_id, plays.heard(db.session, current_user.id, song_id, heard_ms / 1000)

        result, error = written(change)
        if error:
            return error
        song_id, count = result
        return jsonify(song=song_id, counted=count is not None, play_count=count)
