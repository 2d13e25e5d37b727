"""Each user's play queue: the rules every door follows (the web player, later Subsonic).

Flask-free: callers pass a SQLAlchemy session and plain values, and get plain values back.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from app.media.tracklist import album_tracks as running_order
from app.models.catalog import Album, Song
from app.models.listening import REPEAT_MODES, PlayQueue, PlayQueueEntry

#: The longest queue kept (a long evening's listening, many albums).
MAX_ENTRIES = 1000
#: The furthest into a song a position may be (a day), in milliseconds.
MAX_POSITION_MS = 24 * 3600 * 1000
MAX_CLIENT_NAME = 100


def N_(text: str) -> str:  # the name Babel extracts texts by
    """Mark a text for translation; the door that answers translates it."""
    return text


SONG_IDS = N_("Send the songs as a list of song ids.")


class QueueRefused(ValueError):
    """A queue the rules do not take; `field` names what is wrong, `message` (English, with
    %(name)s places filled from `values`) says what to send."""

    def __init__(self, field_name: str, message: str, **values) -> None:
        super().__init__(message % values if values else message)
        self.field, self.message, self.values = field_name, message, values


@dataclass
class Queue:
    """A play queue: its songs in order, the one playing, how far into it, how it plays."""

    song_ids: list[int] = field(default_factory=list)
    current: int = 0
    position_ms: int = 0
    shuffle: bool = False
    repeat: str = "off"
    changed_at: datetime | None = None
    changed_by: str = ""
    #: The songs themselves (album and author loaded), in song_ids' order, when loaded.
    songs: list[Song] = field(default_factory=list)

    def same_as(self, other: "Queue") -> bool:
        """Whether two queues play the same (who saved them and when aside)."""
        mine = (self.song_ids, self.current, self.position_ms, self.shuffle, self.repeat)
        theirs = (other.song_ids, other.current, other.position_ms, other.shuffle, other.repeat)
        return mine == theirs


def check(queue: Queue) -> Queue:
    """The queue if every value is within the rules, else QueueRefused."""
    ids = queue.song_ids
    if not isinstance(ids, list) or not all(is_whole(song_id, 1) for song_id in ids):
        raise QueueRefused("songs", SONG_IDS)
    if len(ids) > MAX_ENTRIES:
        raise QueueRefused("songs", N_("A queue holds at most %(most)d songs."), most=MAX_ENTRIES)
    if not is_whole(queue.current, 0):
        raise QueueRefused("current", N_("Send the place of the song playing: 0 for the first."))
    if not is_whole(queue.position_ms, 0) or queue.position_ms > MAX_POSITION_MS:
        raise QueueRefused("position_ms", N_("Send how far into the song, in milliseconds."))
    if not isinstance(queue.shuffle, bool):
        raise QueueRefused("shuffle", N_("Send true or false."))
    if queue.repeat not in REPEAT_MODES:
        raise QueueRefused("repeat", N_("Send one of: off, all, one."))
    if not isinstance(queue.changed_by, str) or len(queue.changed_by) > MAX_CLIENT_NAME:
        raise QueueRefused(
            "client", N_("Name the client in at most %(most)d characters."), most=MAX_CLIENT_NAME
        )
    return queue


def is_whole(value, lowest: int) -> bool:
    """A whole number (not a boolean) of at least `lowest`, below 2**31 (the column's type)."""
    return isinstance(value, int) and not isinstance(value, bool) and lowest <= value < 2**31


def load(session: Session, user_id: int) -> Queue:
    """The user's queue with its songs (an empty queue when they never saved one).

    Songs deleted since went with their entries: the queue closes up, and the song playing
    is the next one still there (from its start, when the one playing was deleted).
    """
    row = session.get(PlayQueue, user_id)
    if row is None:
        return Queue()
    entries = session.execute(
        select(PlayQueueEntry.position, Song)
        .join(Song, Song.id == PlayQueueEntry.song_id)
        .where(PlayQueueEntry.user_id == user_id)
        .order_by(PlayQueueEntry.position)
        .options(joinedload(Song.album).joinedload(Album.author))
    ).all()
    before = [position for position, _song in entries if position < row.current_position]
    still_there = any(position == row.current_position for position, _song in entries)
    current = min(len(before), max(len(entries) - 1, 0))
    return Queue(
        song_ids=[song.id for _position, song in entries],
        current=current,
        position_ms=row.position_ms if still_there else 0,
        shuffle=row.shuffle,
        repeat=row.repeat,
        changed_at=row.changed_at,
        changed_by=row.changed_by,
        songs=[song for _position, song in entries],
    )


def save(session: Session, owner_id: int, saver_id: int, wanted: Queue) -> bool:
    """Keep `wanted` as the owner's queue; True when anything changed (nothing is written
    otherwise). Only the owner saves their queue; songs that no longer exist are left out
    and the current place is clamped into the queue. The caller commits."""
    if saver_id != owner_id:
        raise QueueRefused("user", N_("Only its owner may save a play queue."))
    check(wanted)
    existing = set(session.scalars(select(Song.id).where(Song.id.in_(set(wanted.song_ids)))).all())
    kept = [index for index, song_id in enumerate(wanted.song_ids) if song_id in existing]
    current = min(wanted.current, len(wanted.song_ids) - 1) if wanted.song_ids else 0
    # The song playing was deleted: the next one kept takes its place, from its start.
    playing_kept = current in kept
    current = sum(1 for index in kept if index < current)
    current = min(current, max(len(kept) - 1, 0))
    clean = Queue(
        song_ids=[wanted.song_ids[index] for index in kept],
        current=current,
        position_ms=wanted.position_ms if playing_kept else 0,
        shuffle=wanted.shuffle,
        repeat=wanted.repeat,
    )
    stored = load(session, owner_id)
    row = session.get(PlayQueue, owner_id)
    if row is not None and stored.same_as(clean):
        return False
    new = row is None
    if new:
        row = PlayQueue(user_id=owner_id)
        session.add(row)
        session.flush()  # the entries' foreign key needs the row
    if new or stored.song_ids != clean.song_ids:
        session.execute(delete(PlayQueueEntry).where(PlayQueueEntry.user_id == owner_id))
        session.add_all(
            PlayQueueEntry(user_id=owner_id, position=index, song_id=song_id)
            for index, song_id in enumerate(clean.song_ids)
        )
    row.current_position = clean.current
    row.position_ms, row.shuffle, row.repeat = clean.position_ms, clean.shuffle, clean.repeat
    row.changed_at, row.changed_by = datetime.now(UTC), wanted.changed_by
    return True


def clear(session: Session, user_id: int) -> None:
    """Forget the user's queue (its entries go with it). The caller commits."""
    session.execute(delete(PlayQueueEntry).where(PlayQueueEntry.user_id == user_id))
    session.execute(delete(PlayQueue).where(PlayQueue.user_id == user_id))


def album_tracks(session: Session, album_id: int, offset: int, limit: int) -> tuple[list, bool]:
    """One page of an album's songs in running order, and whether more follow."""
    rows = session.scalars(
        running_order(album_id)
        .options(joinedload(Song.album).joinedload(Album.author))
        .offset(offset)
        .limit(limit + 1)
    ).all()
    return list(rows[:limit]), len(rows) > limit
