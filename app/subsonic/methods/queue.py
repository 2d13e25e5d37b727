"""getPlayQueue and savePlayQueue: the caller's play queue, kept by app/listening/queue.py,
so a queue saved by a phone app resumes in the web player and the other way round.
Subsonic names the song playing by its id; the queue keeps its place (the first place
holding that id)."""

from app.extensions import db
from app.listening import queue
from app.models.listening import PlayQueue
from app.subsonic import pages
from app.subsonic.ids import SONG, row_id, song_id
from app.subsonic.registry import STREAM, Call, subsonic_method
from app.subsonic.shapes import stamp
from app.subsonic.wire import GENERIC, SubsonicError


@subsonic_method("getPlayQueue", needs=STREAM)
def get_play_queue(call: Call) -> dict | None:
    """The caller's queue with its songs; an empty answer when they never saved one."""
    kept = queue.load(db.session, call.user.id)
    if kept.changed_at is None:
        return None
    current = kept.song_ids[kept.current] if kept.song_ids else None
    return {
        "playQueue": {
            "current": song_id(current) if current is not None else None,
            "position": kept.position_ms,
            "username": call.user.username,
            "changed": stamp(kept.changed_at),
            "changedBy": kept.changed_by,
            "entry": pages.songs(db.session, call.user.id, kept.songs),
        }
    }


@subsonic_method("savePlayQueue", needs=STREAM)
def save_play_queue(call: Call) -> None:
    """Keep the songs sent (id, repeated) as the caller's queue, `current` the one playing
    and `position` how far into it (ms); the web player's shuffle and repeat stay as set.
    Songs deleted meanwhile are left out, as the web player's saves do."""
    params = call.params
    song_ids = [row_id(value, SONG) for value in params.all("id")]
    if len(song_ids) > queue.MAX_ENTRIES:
        raise SubsonicError(GENERIC, f"A queue holds at most {queue.MAX_ENTRIES} songs.")
    current = 0
    if params.get("current"):
        playing = row_id(params.get("current"), SONG)
        if playing not in song_ids:
            raise SubsonicError(GENERIC, "Parameter current must be one of the ids sent.")
        current = song_ids.index(playing)
    position = params.integer("position", default=0, low=0, high=queue.MAX_POSITION_MS)
    row = db.session.get(PlayQueue, call.user.id)
    wanted = queue.Queue(
        song_ids=song_ids,
        current=current,
        position_ms=position,
        shuffle=row.shuffle if row is not None else False,
        repeat=row.repeat if row is not None else "off",
        changed_by=(call.client or "Subsonic app")[: queue.MAX_CLIENT_NAME],
    )
    try:
        queue.save(db.session, call.user.id, call.user.id, wanted)
    except queue.QueueRefused as refusal:
        db.session.rollback()
        raise SubsonicError(GENERIC, str(refusal)) from None
    db.session.commit()
