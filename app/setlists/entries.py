"""A setlist's songs in order: add (one or a thousand), move, remove, read a page, totals.

Positions are integers STEP apart. A move writes one row: the midpoint between its new
neighbours, found with the entry itself in one statement, so moving costs the same in a
setlist of 25 or 5,000. Only when two neighbours have no number left between them is the
whole setlist renumbered, in one UPDATE (rare: ten moves into one gap at least).
"""

from dataclasses import dataclass

from sqlalchemy import func, or_, select, tuple_, update
from sqlalchemy.orm import Session, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from app.models.catalog import Song
from app.models.setlists import Setlist, SetlistEntry
from app.setlists.rules import N_, SetlistRefused, checked_note, touch

#: The gap left between neighbours: ten halvings before a renumber.
STEP = 1024
#: The longest setlist (a week of radio); STEP times it stays far inside an INTEGER.
MAX_ENTRIES = 10_000
#: An INTEGER column's range (PostgreSQL's; moves to the top count down from 0).
LOWEST, HIGHEST = -(2**31), 2**31 - 1
#: Where an entry may be moved besides a place counted from 0.
MOVES = ("up", "down", "top", "bottom")


@dataclass
class Added:
    """What an add did: the entries written, and how many ids named no song."""

    entries: list[SetlistEntry]
    dropped: int


def ordered(query):
    """A query of entries in the setlist's order (ties by id, as the index is)."""
    return query.order_by(SetlistEntry.position, SetlistEntry.id)


def add_songs(
    session: Session, setlist: Setlist, song_ids, added_by_id: int | None, note=None
) -> Added:
    """Append songs in the order given (repeats kept) after the last entry; ids of songs
    that do not exist are dropped and counted. Three statements and one batched insert,
    however many songs. The caller commits."""
    if not isinstance(song_ids, list | tuple) or not all(
        isinstance(song_id, int) and not isinstance(song_id, bool) for song_id in song_ids
    ):
        raise SetlistRefused("songs", N_("Send the songs as a list of song ids."))
    note = checked_note(note)
    songs = {
        song.id: song for song in session.scalars(select(Song).where(Song.id.in_(set(song_ids))))
    }
    kept = [songs[song_id] for song_id in song_ids if song_id in songs]
    # The count kept on the row; the last position from the end of the order index.
    count = setlist.entry_count
    last = session.scalar(
        select(func.max(SetlistEntry.position)).where(SetlistEntry.setlist_id == setlist.id)
    )
    if count + len(kept) > MAX_ENTRIES:
        raise SetlistRefused(
            "songs", N_("A setlist holds at most %(most)d songs."), most=MAX_ENTRIES
        )
    if last is not None and last + STEP * len(kept) > HIGHEST:
        renumber(session, setlist.id)
        last = count * STEP
    start = STEP if last is None else last + STEP
    entries = [new_entry(setlist, song, start + index * STEP, note, added_by_id)
               for index, song in enumerate(kept)]  # fmt: skip
    session.add_all(entries)
    if entries:
        touch(setlist)
    session.flush()
    return Added(entries=entries, dropped=len(song_ids) - len(kept))


def new_entry(setlist: Setlist, song: Song, position: int, note, added_by_id) -> SetlistEntry:
    """An entry written by its ids, its setlist and song attached without the relationship
    events: appending to `setlist.entries` would load the whole setlist's entries first, and
    the events cost more than the insert for a thousand songs."""
    entry = SetlistEntry(
        setlist_id=setlist.id,
        song_id=song.id,
        position=position,
        note=note,
        added_by_id=added_by_id,
    )
    set_committed_value(entry, "setlist", setlist)
    set_committed_value(entry, "song", song)
    return entry


def neighbours_query(setlist_id: int, entry_id: int, where):
    """The ids of the (at most two) entries the moved one goes between, as a subquery."""
    others = select(SetlistEntry.id).where(
        SetlistEntry.setlist_id == setlist_id, SetlistEntry.id != entry_id
    )
    here = select(SetlistEntry.position).where(SetlistEntry.id == entry_id).scalar_subquery()
    before = tuple_(SetlistEntry.position, SetlistEntry.id) < tuple_(here, entry_id)
    backwards = (SetlistEntry.position.desc(), SetlistEntry.id.desc())
    if where == "up":
        return others.where(before).order_by(*backwards).limit(2)
    if where == "down":
        return ordered(others.where(~before)).limit(2)
    if where == "top":
        return ordered(others).limit(1)
    if where == "bottom":
        return others.order_by(*backwards).limit(1)
    return ordered(others).offset(max(where - 1, 0)).limit(2 if where > 0 else 1)


def place_key(entry: SetlistEntry) -> tuple[int, int]:
    """Where an entry stands in the order: its position, ties by id."""
    return entry.position, entry.id


def slot(entry: SetlistEntry, others: list[SetlistEntry], where):
    """(entry before, entry after) the place the entry goes to (None for an end), or None
    when the entry is there already. `others` are the neighbours' rows, in order."""
    key = place_key(entry)
    if where == "up":
        before = [other for other in others if place_key(other) < key]
        if not before:
            return None
        low, high = (before[0] if len(before) > 1 else None), before[-1]
    elif where == "down":
        after = [other for other in others if place_key(other) > key]
        if not after:
            return None
        low, high = after[0], (after[1] if len(after) > 1 else None)
    elif not others:
        return None
    elif where in ("top", 0):
        low, high = None, others[0]
    elif where == "bottom":
        low, high = others[-1], None
    else:
        low, high = others[0], (others[1] if len(others) > 1 else None)
    stays = (low is None or place_key(low) < key) and (high is None or key < place_key(high))
    return None if stays else (low, high)


def new_position(low: SetlistEntry | None, high: SetlistEntry | None) -> int | None:
    """A position strictly between two entries' (or past one end), None when none is left."""
    if low is None:
        position = high.position - STEP
    elif high is None:
        position = low.position + STEP
    else:
        position = (low.position + high.position) // 2
    low_ok = low is None or position > low.position
    high_ok = high is None or position < high.position
    return position if low_ok and high_ok and LOWEST <= position <= HIGHEST else None


def move(session: Session, setlist: Setlist, entry_id: int, where) -> SetlistEntry:
    """Move an entry up, down, to the top, the bottom, or to a place counted from 0 (past
    the end: the bottom). One SELECT and the entry's UPDATE (plus the setlist's time and
    the history row), whatever the setlist's length. The caller commits."""
    if where not in MOVES and not (
        isinstance(where, int) and not isinstance(where, bool) and 0 <= where <= MAX_ENTRIES
    ):
        raise SetlistRefused("to", N_("Move to a place from 0, or up, down, top, bottom."))
    renumbered = False
    while True:
        # The rows without their songs (a join here lets PostgreSQL's planner scan the
        # catalog); the moved one's title, for its history label, by the song's key.
        found = session.execute(
            select(SetlistEntry, song_title())
            .options(lazyload(SetlistEntry.song))
            .where(
                SetlistEntry.setlist_id == setlist.id,
                or_(
                    SetlistEntry.id == entry_id,
                    SetlistEntry.id.in_(neighbours_query(setlist.id, entry_id, where)),
                ),
            )
        ).all()
        rows, entry = [row for row, _title in found], None
        for row, title in found:
            if row.id == entry_id:
                entry, entry.song_title = row, title
        if entry is None:
            raise SetlistRefused("entry", N_("This setlist has no such entry."))
        set_committed_value(entry, "setlist", setlist)  # its history label names the setlist
        others = sorted((row for row in rows if row is not entry), key=place_key)
        if isinstance(where, int) and where > 0 and not others:
            where = "bottom"  # a place past the end (one more statement)
            continue
        between = slot(entry, others, where)
        if between is None:
            return entry
        position = new_position(*between)
        if position is not None:
            entry.position = position
            touch(setlist)
            return entry
        if renumbered:
            raise AssertionError("a renumbered setlist has room between any two entries")
        renumber(session, setlist.id)
        renumbered = True


def song_title():
    """Each entry's song's title, looked up by its key."""
    return select(Song.title).where(Song.id == SetlistEntry.song_id).scalar_subquery()


def renumber(session: Session, setlist_id: int) -> None:
    """Give every entry of a setlist the position STEP times its place, in one UPDATE.

    The history records no row for it: the order is unchanged."""
    session.flush()
    ranked = (
        select(
            SetlistEntry.id,
            (
                func.row_number().over(order_by=(SetlistEntry.position, SetlistEntry.id)) * STEP
            ).label("position"),
        )
        .where(SetlistEntry.setlist_id == setlist_id)
        .subquery()
    )
    session.execute(
        update(SetlistEntry)
        .where(SetlistEntry.id == ranked.c.id)
        .values(position=ranked.c.position)
        .execution_options(synchronize_session=False)
    )
    # Entries already loaded hold the old numbers: read them again when next used.
    for row in list(session.identity_map.values()):
        if isinstance(row, SetlistEntry) and row.setlist_id == setlist_id:
            session.expire(row, ["position"])


def entry_of(session: Session, setlist: Setlist, entry_id: int) -> SetlistEntry:
    """One entry of the setlist, else SetlistRefused (an id from another setlist too)."""
    entry = session.scalars(
        select(SetlistEntry).where(
            SetlistEntry.id == entry_id, SetlistEntry.setlist_id == setlist.id
        )
    ).first()
    if entry is None:
        raise SetlistRefused("entry", N_("This setlist has no such entry."))
    # Known already: its history label names the setlist without another query.
    set_committed_value(entry, "setlist", setlist)
    return entry


def remove(session: Session, setlist: Setlist, entry_id: int) -> None:
    """Take an entry out of the setlist (its neighbours keep their positions)."""
    session.delete(entry_of(session, setlist, entry_id))
    touch(setlist)


def annotate(session: Session, setlist: Setlist, entry_id: int, note) -> SetlistEntry:
    """Set or clear an entry's note ("segue", "talk-over")."""
    entry = entry_of(session, setlist, entry_id)
    note = checked_note(note)
    if note != entry.note:
        entry.note = note
        touch(setlist)
    return entry


def page(session: Session, setlist_id: int, offset: int = 0, limit: int = 25, after=None):
    """Entries in order with their songs (album and author joined), read from the
    (setlist_id, position, id) index: from `offset`, or after the (position, id) of the
    previous page's last entry (a keyset: as cheap on the last page as on the first).
    The page's ids come first, from the index alone, so the rows an OFFSET skips are never
    joined to their songs (page 100 of 5,000 entries: 4.5 ms joined, 0.1 ms not)."""
    window = ordered(select(SetlistEntry.id).where(SetlistEntry.setlist_id == setlist_id))
    if after is not None:
        window = window.where(tuple_(SetlistEntry.position, SetlistEntry.id) > tuple_(*after))
    else:
        window = window.offset(offset)
    query = select(SetlistEntry).where(SetlistEntry.id.in_(window.limit(limit).scalar_subquery()))
    return list(session.scalars(ordered(query)))


def counted_totals(session: Session, setlist_id: int) -> tuple[int, float]:
    """How many entries the setlist has and their playing time in seconds, counted from
    the entries (what the totals kept on its row must equal)."""
    # Each song's length looked up by its key: a join lets PostgreSQL hash the whole song
    # table for a long setlist, a cost that grows with the catalog.
    duration = select(Song.duration).where(Song.id == SetlistEntry.song_id).scalar_subquery()
    count, seconds = session.execute(
        select(func.count(SetlistEntry.id), func.coalesce(func.sum(duration), 0.0)).where(
            SetlistEntry.setlist_id == setlist_id
        )
    ).one()
    return count, float(seconds)
