"""GET/PUT /api/v1/playqueue: the signed-in user's play queue as JSON, for the web player.

A thin door onto app/listening/queue.py (the Subsonic API will be another): it turns JSON
into a Queue and back. Writes need the page's CSRF token in X-CSRFToken (the app-wide
check); errors answer in the JSON style of every endpoint (app/web/json_answers.py).
"""

from flask import current_app, jsonify, request
from flask_appbuilder import BaseView, expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from app.extensions import db
from app.fab.list_links import id_url
from app.listening import queue as queues
from app.listening.queue import N_
from app.models import Album
from app.web.json_answers import answers_json, json_error, json_object

#: The largest body a save may send: a full queue of large ids is about 12 KiB.
MAX_BODY = 64 * 1024
FIELDS = {"songs", "current", "position_ms", "shuffle", "repeat", "client"}
TRACKS_PER_PAGE, MAX_TRACKS_PER_PAGE = 100, 200
WEB_CLIENT = "Setlist web"
NOT_JSON_TEXT = N_("Send a JSON object (Content-Type: application/json).")
UNKNOWN_FIELD = N_("Unknown field: it cannot be written here.")
WHOLE_NUMBER = N_("Use a whole number from %(lowest)d to %(highest)d.")


def refusal_answer(bad: queues.QueueRefused):
    """400 with the rule's text in the user's language, under the field it is about."""
    message = gettext(bad.message, **bad.values)
    return json_error(400, message, {bad.field: [message]} if bad.field else None)


def refused():
    """401 for visitors, 403 for accounts that may not play songs; None when allowed."""
    if not current_user.is_authenticated:
        return json_error(401, _("Log in to keep a play queue."))
    if not current_app.appbuilder.sm.has_access("can_stream", "SongModelView"):
        return json_error(403, _("Your account may not play songs."))
    return None


def described(song) -> dict:
    """A song as the player shows and plays it."""
    album = song.album
    author = album.author if album else None
    has_cover = album is not None and album.cover_file
    return {
        "id": song.id,
        "title": song.title,
        "album": album.title if album else "",
        "author": author.name if author else "",
        "cover": id_url("AlbumModelView.cover")(album.id) if has_cover else "",
        "stream": id_url("SongModelView.stream")(song.id),
        "duration": song.duration,
    }


def answer(queue: queues.Queue, **extra):
    """The queue as JSON, never cached (it changes as it plays)."""
    response = jsonify(
        {
            "songs": [described(song) for song in queue.songs],
            "current": queue.current,
            "position_ms": queue.position_ms,
            "shuffle": queue.shuffle,
            "repeat": queue.repeat,
            "changed_at": queue.changed_at.isoformat() if queue.changed_at else None,
            "changed_by": queue.changed_by,
            **extra,
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def sent_queue() -> queues.Queue:
    """The Queue in the request's JSON body; QueueRefused for anything else."""
    # The app bounds every body (MAX_CONTENT_LENGTH) before any view runs; a queue needs less.
    if len(request.get_data()) > MAX_BODY:
        raise RequestEntityTooLarge()
    data = json_object()
    if data is None:
        raise queues.QueueRefused("", NOT_JSON_TEXT)
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise queues.QueueRefused(unknown[0], UNKNOWN_FIELD)
    if "songs" not in data:
        raise queues.QueueRefused("songs", queues.SONG_IDS)
    return queues.check(
        queues.Queue(
            song_ids=data["songs"],
            current=data.get("current", 0),
            position_ms=data.get("position_ms", 0),
            shuffle=data.get("shuffle", False),
            repeat=data.get("repeat", "off"),
            changed_by=data.get("client", WEB_CLIENT),
        )
    )


def whole_argument(name: str, default: int, lowest: int, highest: int) -> int:
    """A whole number in the query string within bounds; QueueRefused otherwise."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw.isascii() and raw.isdigit() and lowest <= int(raw) <= highest:
        return int(raw)
    raise queues.QueueRefused(name, WHOLE_NUMBER, lowest=lowest, highest=highest)


class PlayQueueView(BaseView):
    """The signed-in user's play queue, kept on the server to resume on any device."""

    route_base = "/api/v1/playqueue"
    default_view = "show"

    @expose("/", methods=["GET"])
    @answers_json
    def show(self):
        """The user's queue with each song's title, album, author, cover and stream URL."""
        return refused() or answer(queues.load(db.session, current_user.id))

    @expose("/", methods=["PUT"])
    @answers_json
    def save(self):
        """Keep the queue sent; writes nothing when it is what is kept already."""
        if refusal := refused():
            return refusal
        try:
            wanted = sent_queue()
            changed, kept = queues.save(db.session, current_user.id, current_user.id, wanted)
            db.session.commit()
        except queues.QueueRefused as bad:
            db.session.rollback()
            return refusal_answer(bad)
        except IntegrityError:
            # Another device saved at the same moment (or a song went meanwhile).
            db.session.rollback()
            return json_error(409, _("The queue changed meanwhile; nothing was saved."))
        # The songs kept as ids: a save every 15 s should not send a thousand songs back.
        return jsonify(
            saved=changed,
            songs=kept.song_ids,
            current=kept.current,
            position_ms=kept.position_ms,
            shuffle=kept.shuffle,
            repeat=kept.repeat,
        )

    @expose("/albums/<int:album_id>", methods=["GET"])
    @answers_json
    def album(self, album_id: int):
        """One page of an album's songs in running order (?offset=&limit=), for "Play album"."""
        if refusal := refused():
            return refusal
        try:
            offset = whole_argument("offset", 0, 0, queues.MAX_ENTRIES)
            limit = whole_argument("limit", TRACKS_PER_PAGE, 1, MAX_TRACKS_PER_PAGE)
        except queues.QueueRefused as bad:
            return refusal_answer(bad)
        if db.session.get(Album, album_id) is None:
            return json_error(404, _("There is no such album."))
        songs, more = queues.album_tracks(db.session, album_id, offset, limit)
        return jsonify({"songs": [described(song) for song in songs], "more": more})
