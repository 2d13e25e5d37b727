"""Playing a setlist: "Play setlist" and "Shuffle" on its page, and its tracks in order as
JSON pages that the player's queue (static/js/queue.js) fetches as playback advances, so a
setlist of 5,000 entries costs each request what one of 25 does."""

from flask import current_app, jsonify, render_template, url_for
from flask_appbuilder import AppBuilder, BaseView, expose
from flask_babel import lazy_gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

from app.extensions import db
from app.listening import queue as queues
from app.models.setlists import Setlist
from app.security.roles import SETLIST_VIEW
from app.security.setlist_access import current_actor
from app.setlists import entries, rules
from app.views.listening.play_queue import (
    may_not_play,
    page_arguments,
    refusal_answer,
    track_page,
)
from app.web.json_answers import answers_json, json_error

#: A page of the queue is a page of the setlist's own page: entry 26 starts the second.
TRACKS_PER_PAGE, MAX_TRACKS_PER_PAGE = 25, 200


def setlist_track_page(
    session: Session, setlist: Setlist, offset: int, limit: int, stream_url=None, cover_url=None
) -> dict:
    """One page of a setlist's tracks in order, as the player's queue takes it (see
    play_queue.track_page), in two statements whatever the page and the setlist's length.
    The caller decided who may see the setlist; `stream_url(song_id)` and `cover_url(album_id)`
    make the tracks' addresses (a share link's door passes its own, scoped to the link)."""
    rows = entries.page(session, setlist.id, offset=offset, limit=limit)
    total = setlist.entry_count
    songs = [entry.song for entry in rows]
    return track_page(songs, offset, total, setlist.name, stream_url, cover_url)


def may_stream() -> bool:
    """Whether the person asking may play songs (Listener and up)."""
    return current_app.appbuilder.sm.has_access("can_stream", "SongModelView")


def play_button(setlist, actor) -> Markup:
    """The setlist page's "Play setlist" and "Shuffle": only when it has entries and the
    person may play songs (the page checked that they may see it)."""
    if not may_stream():
        return Markup("")
    if not setlist.entry_count:
        return Markup("")
    return Markup(  # noqa: S704 - an autoescaped template rendered it
        render_template(
            "setlists/_play.html",
            setlist=setlist,
            total=setlist.entry_count,
            tracks_url=url_for("SetlistTracksView.tracks", setlist_id=setlist.id),
        )
    )


class SetlistTracksView(BaseView):
    """A setlist's tracks as JSON pages for the player (those who may see it and play)."""

    route_base = "/api/v1/playqueue/setlists"
    class_permission_name = SETLIST_VIEW
    default_view = "tracks"

    @expose("/<int:setlist_id>", methods=["GET"])
    @answers_json
    def tracks(self, setlist_id: int):
        """One page of the setlist's tracks in order (?offset=&limit=, 25 by default)."""
        if refusal := may_not_play():
            return refusal
        try:
            offset, limit = page_arguments(
                entries.MAX_ENTRIES, TRACKS_PER_PAGE, MAX_TRACKS_PER_PAGE
            )
        except queues.QueueRefused as bad:
            return refusal_answer(bad)
        if not queues.is_whole(setlist_id, 1):  # beyond the id column's range: no such row
            return json_error(404, _("There is no such setlist."))
        try:
            setlist = rules.find(db.session, setlist_id, *current_actor().as_viewer())
        except rules.SetlistNotFound:
            return json_error(404, _("There is no such setlist."))
        response = jsonify(setlist_track_page(db.session, setlist, offset, limit))
        response.headers["Cache-Control"] = "no-store"  # it changes as people edit it
        return response


def register(appbuilder: AppBuilder) -> None:
    """Add the setlist's tracks endpoint (the button is part of the setlist's page)."""
    appbuilder.add_view_no_menu(SetlistTracksView)
