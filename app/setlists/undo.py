"""Undo the last change to a setlist's entries: a move, a removal, an addition or a note.

The change history (app/change_recording.py) holds what each change did: the position or
note before it, whether the entry was created or deleted. It names a song by its title and
an entry's setlist by name, so a door keeps, with the history row's id, what the row lacks:
the song's id (to put a removed entry back) and the entry it followed (its old neighbour).
That is a Step; a door keeps a stack of them per setlist and person, and `undo` takes the
newest. An undo goes through app.setlists.entries like any change and is recorded too.
"""

from dataclasses import dataclass

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from app.models import Change, Setlist, SetlistEntry
from app.setlists import entries
from app.setlists.rules import N_, SetlistRefused, touch

#: The history's kind for entries.
KIND = "setlist_entry"
#: The largest id a Step may name (an INTEGER column's).
HIGHEST_ID = 2**31 - 1


@dataclass(frozen=True)
class Step:
    """A change to undo: its history row, the entry, the entry's song, the entry it followed
    before the change (None: it was first)."""

    change_id: int
    entry_id: int
    song_id: int
    after_id: int | None

    def packed(self) -> list:
        """The step as a short JSON list (kept in a session cookie)."""
        return [self.change_id, self.entry_id, self.song_id, self.after_id]

    @classmethod
    def unpacked(cls, value) -> "Step | None":
        """A step from packed(), None for anything else (a cookie is not trusted blindly)."""
        if not isinstance(value, list) or len(value) != 4:
            return None
        change_id, entry_id, song_id, after_id = value
        numbers = [change_id, entry_id, song_id] + ([] if after_id is None else [after_id])
        if not all(
            isinstance(n, int) and not isinstance(n, bool) and 0 < n <= HIGHEST_ID for n in numbers
        ):
            return None
        return cls(change_id, entry_id, song_id, after_id)


@dataclass(frozen=True)
class Prior:
    """Where an entry stood before a change: its song, the entry before it, and the entry's
    newest history row then (a change that recorded nothing is no step)."""

    entry_id: int
    song_id: int
    after_id: int | None
    last_change_id: int | None


@dataclass(frozen=True)
class Undone:
    """What an undo did, said in English with %(name)s places (the door translates)."""

    message: str
    values: dict
    entry_id: int | None


def key(entry) -> tuple:
    """An entry's place in the order as SQL: (position, id)."""
    return tuple_(entry.position, entry.id)


def prior(session: Session, setlist: Setlist, entry_id: int) -> Prior:
    """The entry's song, the entry before it and its newest history row, in one statement;
    SetlistRefused when the setlist has no such entry (another setlist's id included)."""
    here = select(SetlistEntry.position).where(SetlistEntry.id == entry_id).scalar_subquery()
    before = (
        select(SetlistEntry.id)
        .where(
            SetlistEntry.setlist_id == setlist.id,
            tuple_(SetlistEntry.position, SetlistEntry.id) < tuple_(here, entry_id),
        )
        .order_by(SetlistEntry.position.desc(), SetlistEntry.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    newest = (
        select(func.max(Change.id))
        .where(Change.kind == KIND, Change.record_id == entry_id)
        .scalar_subquery()
    )
    row = session.execute(
        select(SetlistEntry.song_id, before, newest).where(
            SetlistEntry.id == entry_id, SetlistEntry.setlist_id == setlist.id
        )
    ).first()
    if row is None:
        raise SetlistRefused("entry", N_("This setlist has no such entry."))
    return Prior(entry_id, row[0], row[1], row[2])


def last_change_id(session: Session, entry_id: int) -> int | None:
    """The id of the entry's newest history row (read from the (kind, record_id) index)."""
    return session.scalar(
        select(func.max(Change.id)).where(Change.kind == KIND, Change.record_id == entry_id)
    )


def step(session: Session, before: Prior) -> Step | None:
    """The Step of a change just flushed (None when it recorded nothing: a move in place)."""
    change_id = last_change_id(session, before.entry_id)
    if change_id is None or change_id == before.last_change_id:
        return None
    return Step(change_id, before.entry_id, before.song_id, before.after_id)


def place(session: Session, setlist_id: int, entry: SetlistEntry) -> int:
    """The entry's place in the setlist, counted from 1 (one statement, on the index)."""
    return 1 + session.scalar(
        select(func.count(SetlistEntry.id)).where(
            SetlistEntry.setlist_id == setlist_id,
            tuple_(SetlistEntry.position, SetlistEntry.id) < key(entry),
        )
    )


def put_after(session: Session, setlist: Setlist, entry: SetlistEntry, after_id, fallback):
    """Place the entry right after the entry `after_id` (first when None); when that entry
    is gone, back at its old position number `fallback` (if known, else first)."""
    others = select(SetlistEntry).where(
        SetlistEntry.setlist_id == setlist.id, SetlistEntry.id != entry.id
    )
    for _attempt in range(2):
        low = None
        if after_id is not None:
            low = session.scalars(others.where(SetlistEntry.id == after_id)).first()
            if low is None and fallback is not None:
                entry.position = fallback
                return
        following = others if low is None else others.where(key(SetlistEntry) > key(low))
        high = session.scalars(entries.ordered(following).limit(1)).first()
        if low is None and high is None:
            return
        position = entries.new_position(low, high)
        if position is not None:
            entry.position = position
            return
        entries.renumber(session, setlist.id)
    raise AssertionError("a renumbered setlist has room between any two entries")


def undo(session: Session, setlist: Setlist, done: Step | None, user_id: int | None) -> Undone:
    """Undo one step on the setlist (the caller checked may_edit, and commits). Refused
    when there is nothing to undo, or the entry changed since (someone else moved it)."""
    change = session.get(Change, done.change_id) if done is not None else None
    if change is None or change.kind != KIND or change.record_id != done.entry_id:
        raise SetlistRefused("undo", N_("There is nothing to undo."))
    fields = change.changes or {}
    if change.action == "deleted":
        return put_back(session, setlist, done, fields, user_id)
    entry = entries.entry_of(session, setlist, done.entry_id)
    title = entry.song.title
    if last_change_id(session, entry.id) != change.id:
        raise SetlistRefused(
            "undo", N_("“%(title)s” has changed since; nothing was undone."), title=title
        )
    if change.action == "created":
        entries.remove(session, setlist, entry.id)
        return Undone(N_("Took “%(title)s” out again."), {"title": title}, None)
    if "position" in fields:
        put_after(session, setlist, entry, done.after_id, fields["position"][0])
        touch(setlist)
        session.flush()
        where = place(session, setlist.id, entry)
        return Undone(
            N_("Moved “%(title)s” back to position %(position)d."),
            {"title": title, "position": where},
            entry.id,
        )
    if "note" in fields:
        entries.annotate(session, setlist, entry.id, fields["note"][0])
        return Undone(N_("Gave “%(title)s” its note back."), {"title": title}, entry.id)
    raise SetlistRefused("undo", N_("There is nothing to undo."))


def put_back(session: Session, setlist: Setlist, done: Step, fields: dict, user_id) -> Undone:
    """Add a removed entry's song again, with its note, right after the entry it followed."""
    note = (fields.get("note") or [None])[0]
    added = entries.add_songs(session, setlist, [done.song_id], user_id, note=note).entries
    if not added:
        raise SetlistRefused(
            "undo", N_("That song is no longer in the catalog; nothing was undone.")
        )
    entry = added[0]
    put_after(session, setlist, entry, done.after_id, (fields.get("position") or [None])[0])
    session.flush()
    where = place(session, setlist.id, entry)
    return Undone(
        N_("Put “%(title)s” back at position %(position)d."),
        {"title": entry.song.title, "position": where},
        entry.id,
    )
