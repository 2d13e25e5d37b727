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
FIELDS = {"songs", "current", "position_ms", "shuffle", "repeat", "client", *queues.SETTINGS}
TRACKS_PER_PAGE, MAX_TRACKS_PER_PAGE = 100, 200
#: The furthest a source's page may start (an album or setlist is far shorter).
MAX_OFFSET = 1_000_000
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


def may_not_play():
    """401 for visitors, 403 for accounts that may not play songs; None when allowed (the
    doors that hand out tracks to play: an album's, a setlist's)."""
    if not current_user.is_authenticated:
        return json_error(401, _("Log in to play songs."))
    if not current_app.appbuilder.sm.has_access("can_stream", "SongModelView"):
        return json_error(403, _("Your account may not play songs."))
    return None


def described(song, stream_url=None, cover_url=None) -> dict:
    """A song as the player shows and plays it. `stream_url(song_id)` and `cover_url(album_id)`
    make its addresses (the site's stream and cover routes unless a door brings its own)."""
    album = song.album
    author = album.author if album else None
    has_cover = album is not None and album.cover_file
    stream_url = stream_url or id_url("SongModelView.stream")
    cover_url = cover_url or id_url("AlbumModelView.cover")
    return {
        "id": song.id,
        "title": song.title,
        "album": album.title if album else "",
        "author": author.name if author else "",
        "cover": cover_url(album.id) if has_cover else "",
        "stream": stream_url(song.id),
        "duration": song.duration,
        # "Even volume" (static/js/player-sound.js): ReplayGain in dB, peaks linear; None
        # until the song (or its whole album) is analysed.
        "track_gain_db": song.track_gain_db,
        "track_peak": song.track_peak,
        "album_gain_db": album.album_gain_db if album else None,
        "album_peak": album.album_peak if album else None,
    }


def track_page(songs, offset: int, total: int, title: str, stream_url=None, cover_url=None):
    """One page of a source's tracks (an album, a setlist) as the queue takes it: the songs
    described, each with `at` (its place in the source from 0), where the page starts, how
    many the source has, and whether more follow."""
    tracks = [
        {**described(song, stream_url, cover_url), "at": offset + number}
        for number, song in enumerate(songs)
    ]
    return {
        "title": title,
        "offset": offset,
        "total": total,
        "more": offset + len(tracks) < total,
        "songs": tracks,
    }


def page_arguments(most: int, per_page: int, largest_page: int) -> tuple[int, int]:
    """(offset, limit) from the query string within bounds; QueueRefused otherwise."""
    offset = whole_argument("offset", 0, 0, most)
    return offset, whole_argument("limit", per_page, 1, largest_page)


def answer(queue: queues.Queue, **extra):
    """The queue as JSON, never cached (it changes as it plays)."""
    response = jsonify(
        {
            "songs": [described(song) for song in queue.songs],
            "current": queue.current,
            "position_ms": queue.position_ms,
            "shuffle": queue.shuffle,
            "repeat": queue.repeat,
            "even_volume": queue.even_volume or "off",
            "data_saver": bool(queue.data_saver),
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
    # Left out: kept as stored; null is no setting.
    for name in queues.SETTINGS:
        if name in data and data[name] is None:
            raise queues.QueueRefused(name, queues.SETTINGS[name])
    return queues.check(
        queues.Queue(
            song_ids=data["songs"],
            current=data.get("current", 0),
            position_ms=data.get("position_ms", 0),
            shuffle=data.get("shuffle", False),
            repeat=data.get("repeat", "off"),
            changed_by=data.get("client", WEB_CLIENT),
            even_volume=data.get("even_volume"),
            data_saver=data.get("data_saver"),
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
            even_volume=kept.even_volume,
            data_saver=kept.data_saver,
        )

    @expose("/albums/<int:album_id>", methods=["GET"])
    @answers_json
    def album(self, album_id: int):
        """One page of an album's songs in running order (?offset=&limit=), for "Play album":
        the queue fetches the next page as it plays, however long the album."""
        if refusal := may_not_play():
            return refusal
        try:
            offset, limit = page_arguments(MAX_OFFSET, TRACKS_PER_PAGE, MAX_TRACKS_PER_PAGE)
        except queues.QueueRefused as bad:
            return refusal_answer(bad)
        album = db.session.get(Album, album_id) if queues.is_whole(album_id, 1) else None
        if album is None:
            return json_error(404, _("There is no such album."))
        songs, total = queues.album_tracks(db.session, album_id, offset, limit)
        return jsonify(track_page(songs, offset, total, album.title))
