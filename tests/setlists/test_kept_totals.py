"""A setlist's size kept on its row: every change to its entries, and to its songs' lengths,
moves the songs and playing time the pages show, and they always equal a fresh count."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Setlist, SetlistEntry, Song
from app.setlists import entries, rules, undo
from app.setlists.sizes import keep_totals


def kept(session, *setlists) -> list[tuple[int, float]]:
    """Each setlist's totals as read from its row now (not from the session's memory)."""
    session.expire_all()
    return [session.get(Setlist, setlist.id).totals for setlist in setlists]


def counted(session, *setlists) -> list[tuple[int, float]]:
    """Each setlist's totals counted from its entries."""
    return [entries.counted_totals(session, setlist.id) for setlist in setlists]


@pytest.fixture
def lengths(session, songs):
    """Four songs: 60 s, 90.5 s, 200.25 s and one of unknown length."""
    ids = songs(4)
    for song_id, seconds in zip(ids, (60.0, 90.5, 200.25, None), strict=True):
        session.get(Song, song_id).duration = seconds
    session.commit()
    return ids


def test_every_change_moves_the_kept_totals(session, people, lengths):
    """Add (repeats and unknown lengths), remove, undo the removal, a song's length
    corrected, a song deleted from the catalog: after each step the row says what a count
    says, and a setlist the change does not touch keeps its own."""
    a, b, c, unknown = lengths
    one = rules.create(session, people["owner"], "One")
    two = rules.create(session, people["owner"], "Two")
    untouched = rules.create(session, people["other"], "Untouched")
    session.commit()
    assert kept(session, one, two, untouched) == [(0, 0.0)] * 3

    entries.add_songs(session, one, [a, b, a, unknown], people["owner"])
    entries.add_songs(session, two, [b], people["owner"])
    entries.add_songs(session, untouched, [c], people["other"])
    session.commit()
    assert kept(session, one, two, untouched) == [(4, 210.5), (1, 90.5), (1, 200.25)]

    second = session.scalars(
        entries.ordered(select(SetlistEntry).where(SetlistEntry.setlist_id == one.id))
    ).all()[1]
    one = session.get(Setlist, one.id)
    before = undo.prior(session, one, second.id)
    entries.remove(session, one, second.id)
    session.flush()
    done = undo.step(session, before)
    session.commit()
    assert kept(session, one) == [(3, 120.0)]
    undo.undo(session, session.get(Setlist, one.id), done, people["owner"])
    session.commit()
    assert kept(session, one) == [(4, 210.5)]

    # A corrected length moves every setlist holding the song, once per entry.
    session.get(Song, a).duration = 65.0
    session.commit()
    assert kept(session, one, two, untouched) == [(4, 220.5), (1, 90.5), (1, 200.25)]

    session.delete(session.get(Song, b))
    session.commit()
    assert kept(session, one, two, untouched) == [(3, 130.0), (0, 0.0), (1, 200.25)]
    assert kept(session, one, two, untouched) == counted(session, one, two, untouched)


def test_two_sessions_adding_to_one_setlist_lose_no_count(app, session, people, lengths):
    """Both sessions read the setlist before either writes, and the second keeps what it
    read: each adds its songs as an increment, so the row ends up with both (writing
    "what I read plus mine" would lose the first session's song)."""
    a, b, c, _unknown = lengths
    setlist = rules.create(session, people["owner"], "Shared work")
    session.commit()
    setlist_id = setlist.id
    stale = {"expire_on_commit": False}
    with app.app_context(), Session(db.engine) as first, Session(db.engine, **stale) as second:
        mine, theirs = first.get(Setlist, setlist_id), second.get(Setlist, setlist_id)
        assert mine.entry_count == theirs.entry_count == 0
        first.commit()
        second.commit()  # each ends its read so SQLite lets the other write
        first.add(SetlistEntry(setlist_id=setlist_id, song_id=a, position=1024))
        keep_totals(first)  # the app's hook listens on db.session only
        first.commit()
        second.add(SetlistEntry(setlist_id=setlist_id, song_id=c, position=2048))
        second.add(SetlistEntry(setlist_id=setlist_id, song_id=b, position=3072))
        keep_totals(second)
        second.commit()
    assert kept(session, setlist) == [(3, 350.75)]
    assert kept(session, setlist) == counted(session, setlist)
