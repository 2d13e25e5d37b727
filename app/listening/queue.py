"""Each user's play queue: the rules every door follows (the web player, later Subsonic).

Flask-free: callers pass a SQLAlchemy session and plain values, and get plain values back.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from app.media.tracklist import album_tracks as running_order
from app.models.catalog import Album, Song
from app.models.listening import EVEN_VOLUME_MODES, REPEAT_MODES, PlayQueue, PlayQueueEntry

#: The longest queue kept (a long evening's listening, many albums).
MAX_ENTRIES = 1000
#: The furthest into a song a position may be (a day), in milliseconds.
MAX_POSITION_MS = 24 * 3600 * 1000
MAX_CLIENT_NAME = 100


def N_(text: str) -> str:  # the name Babel extracts texts by
    """Mark a text for translation; the door that answers translates it."""
    return text


SONG_IDS = N_("Send the songs as a list of song ids.")
#: The web player's settings kept with the queue, and what to send for each.
SETTINGS = {
    "even_volume": N_("Send one of: off, track, album."),
    "data_saver": N_("Send true or false."),
}


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
    #: The web player's "Even volume" and "Data saver"; None: keep what is stored (a door
    #: that has no such settings, Subsonic's, leaves them as the web player set them).
    even_volume: str | None = None
    data_saver: bool | None = None
    #: The songs themselves (album and author loaded), in song_ids' order, when loaded.
    songs: list[Song] = field(default_factory=list)


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
    if queue.even_volume is not None and queue.even_volume not in EVEN_VOLUME_MODES:
        raise QueueRefused("even_volume", SETTINGS["even_volume"])
    if queue.data_saver is not None and not isinstance(queue.data_saver, bool):
        raise QueueRefused("data_saver", SETTINGS["data_saver"])
    if not isinstance(queue.changed_by, str) or len(queue.changed_by) > MAX_CLIENT_NAME:
        raise QueueRefused(
            "client", N_("Name the client in at most %(most)d characters."), most=MAX_CLIENT_NAME
        )
    return queue


def is_whole(value, lowest: int) -> bool:
    """A whole number (not a boolean) of at least `lowest`, below 2**31 (the column's type)."""
    return isinstance(value, int) and not isinstance(value, bool) and lowest <= value < 2**31


def place(row: PlayQueue, positions: list[int]) -> tuple[int, int]:
    """The index of the song playing among the entries left, and how far into it.

    Songs deleted since went with their entries: the queue closes up, and the song playing
    is the next one still there (from its start, when the one playing was deleted).
    """
    before = sum(1 for position in positions if position < row.current_position)
    still_there = row.current_position in positions
    return min(before, max(len(positions) - 1, 0)), row.position_ms if still_there else 0


def load(session: Session, user_id: int) -> Queue:
    """The user's queue with its songs (an empty queue when they never saved one)."""
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
    current, position_ms = place(row, [position for position, _song in entries])
    return Queue(
        song_ids=[song.id for _position, song in entries],
        current=current,
        position_ms=position_ms,
        shuffle=row.shuffle,
        repeat=row.repeat,
        changed_at=row.changed_at,
        changed_by=row.changed_by,
        even_volume=row.even_volume,
        data_saver=row.data_saver,
        songs=[song for _position, song in entries],
    )


def kept_part(session: Session, wanted: Queue) -> Queue:
    """`wanted` without the songs that do not exist, its place moved with them."""
    existing = set(session.scalars(select(Song.id).where(Song.id.in_(set(wanted.song_ids)))).all())
    kept = [index for index, song_id in enumerate(wanted.song_ids) if song_id in existing]
    current = min(wanted.current, len(wanted.song_ids) - 1) if wanted.song_ids else 0
    # The song playing does not exist: the next one kept takes its place, from its start.
    playing_kept = current in kept
    current = min(sum(1 for index in kept if index < current), max(len(kept) - 1, 0))
    return Queue(
        song_ids=[wanted.song_ids[index] for index in kept],
        current=current,
        position_ms=wanted.position_ms if playing_kept else 0,
        shuffle=wanted.shuffle,
        repeat=wanted.repeat,
        changed_by=wanted.changed_by,
        even_volume=wanted.even_volume,
        data_saver=wanted.data_saver,
    )


def save(session: Session, owner_id: int, saver_id: int, wanted: Queue) -> tuple[bool, Queue]:
    """Keep `wanted` as the owner's queue: whether anything changed (nothing is written
    otherwise) and the queue kept. Only the owner saves their queue; songs that no longer
    exist are left out and the current place is clamped into the queue. The caller commits."""
    if saver_id != owner_id:
        raise QueueRefused("user", N_("Only its owner may save a play queue."))
    clean = kept_part(session, check(wanted))
    row = session.get(PlayQueue, owner_id)
    stored = session.execute(
        select(PlayQueueEntry.position, PlayQueueEntry.song_id)
        .where(PlayQueueEntry.user_id == owner_id)
        .order_by(PlayQueueEntry.position)
    ).all()
    positions = [position for position, _song_id in stored]
    # Rewritten when the songs differ, or deleted songs left gaps (positions are indexes).
    rewrite = row is None or [song_id for _position, song_id in stored] != clean.song_ids
    rewrite = rewrite or positions != list(range(len(positions)))
    settings(row, clean)
    if not rewrite:
        current, position_ms = place(row, positions)
        modes = (row.shuffle, row.repeat, row.even_volume, row.data_saver)
        if (current, position_ms, modes) == (
            clean.current,
            clean.position_ms,
            (clean.shuffle, clean.repeat, clean.even_volume, clean.data_saver),
        ):
            return False, clean
    if row is None:
        row = PlayQueue(user_id=owner_id)
        session.add(row)
        session.flush()  # the entries' foreign key needs the row
    if rewrite:
        session.execute(delete(PlayQueueEntry).where(PlayQueueEntry.user_id == owner_id))
        session.add_all(
            PlayQueueEntry(user_id=owner_id, position=index, song_id=song_id)
            for index, song_id in enumerate(clean.song_ids)
        )
    row.current_position = clean.current
    row.position_ms, row.shuffle, row.repeat = clean.position_ms, clean.shuffle, clean.repeat
    row.even_volume, row.data_saver = clean.even_volume, clean.data_saver
    row.changed_at = clean.changed_at = datetime.now(UTC)
    row.changed_by = clean.changed_by
    return True, clean


def settings(row: PlayQueue | None, queue: Queue) -> None:
    """Fill the settings `queue` leaves unsaid (None) from the stored row, else the defaults."""
    if queue.even_volume is None:
        queue.even_volume = row.even_volume if row is not None else EVEN_VOLUME_MODES[0]
    if queue.data_saver is None:
        queue.data_saver = row.data_saver if row is not None else False


def clear(session: Session, user_id: int) -> None:
    """Forget the user's queue (its entries go with it). The caller commits."""
    session.execute(delete(PlayQueueEntry).where(PlayQueueEntry.user_id == user_id))
    session.execute(delete(PlayQueue).where(PlayQueue.user_id == user_id))


def album_tracks(session: Session, album_id: int, offset: int, limit: int) -> tuple[list, int]:
    """One page of an album's songs in running order, and how many songs the album has
    (two statements, however long the album: "Play album" queues it all, a page at a time)."""
    rows = session.scalars(
        running_order(album_id)
        .options(joinedload(Song.album).joinedload(Album.author))
        .offset(offset)
        .limit(limit)
    ).all()
    total = session.scalar(select(func.count(Song.id)).where(Song.album_id == album_id))
    return list(rows), total
