"""Undo from the change history, in the domain (app/setlists/undo.py): an add taken out
again, a removed entry put back between its old neighbours (or at its old number when the
neighbour went too), a move back, odd steps refused."""

import pytest

from app.models import SetlistEntry
from app.setlists import entries, rules, undo
from tests.setlists.building import order


@pytest.fixture
def five(session, people, songs):
    """A setlist of five songs: (setlist, entry ids in order)."""
    setlist = rules.create(session, people["owner"], "Five")
    made = entries.add_songs(session, setlist, songs(5), people["owner"]).entries
    session.commit()
    return setlist, [entry.id for entry in made]


def step_of(session, setlist, entry_id, change):
    """Make a change (a callable) the way a door does, and return its Step."""
    before = undo.prior(session, setlist, entry_id)
    change()
    session.flush()
    made = undo.step(session, before)
    session.commit()
    return made


def test_undo_an_add_takes_it_out_again(session, people, five):
    """The history's "created" row of an entry another door added: undo removes it."""
    setlist, ids = five
    song_id = session.get(SetlistEntry, ids[0]).song_id
    added = entries.add_songs(session, setlist, [song_id], people["owner"]).entries[0]
    session.commit()
    before = undo.Prior(added.id, added.song_id, ids[-1], None)
    done = undo.step(session, before)
    result = undo.undo(session, setlist, done, people["owner"])
    session.commit()
    assert result.message == "Took “%(title)s” out again."
    assert order(setlist.id) == ids


def test_a_removed_entry_comes_back_between_its_neighbours(session, people, five):
    """Remove the 3rd, move the 1st to the bottom: undoing the removal puts the song after
    the 2nd, which is now first. When that neighbour is gone too, its old number."""
    setlist, ids = five
    done = step_of(session, setlist, ids[2], lambda: entries.remove(session, setlist, ids[2]))
    entries.move(session, setlist, ids[0], "bottom")
    session.commit()
    result = undo.undo(session, setlist, done, people["owner"])
    session.commit()
    back = result.entry_id
    assert order(setlist.id) == [ids[1], back, ids[3], ids[4], ids[0]]
    assert result.values == {"title": "Track 00002", "position": 2}
    done = step_of(session, setlist, ids[3], lambda: entries.remove(session, setlist, ids[3]))
    entries.remove(session, setlist, back)
    session.commit()
    undo.undo(session, setlist, done, people["owner"])
    session.commit()
    assert len(order(setlist.id)) == 4
    assert order(setlist.id)[:1] == [ids[1]]


def test_a_move_goes_back_and_odd_steps_are_refused(session, people, five):
    """A move to the top is undone to its old place; a step of another setlist's entry, of
    a change that is not an entry's, or nothing at all, is refused."""
    setlist, ids = five
    done = step_of(session, setlist, ids[3], lambda: entries.move(session, setlist, ids[3], "top"))
    assert undo.undo(session, setlist, done, people["owner"]).values["position"] == 4
    session.commit()
    assert order(setlist.id) == ids
    other = rules.create(session, people["owner"], "Other")
    session.commit()
    with pytest.raises(rules.SetlistRefused):
        undo.undo(session, other, done, people["owner"])
    session.rollback()
    with pytest.raises(rules.SetlistRefused):
        undo.undo(session, setlist, None, people["owner"])
    wrong = undo.Step(done.change_id, ids[0], done.song_id, None)
    with pytest.raises(rules.SetlistRefused):
        undo.undo(session, setlist, wrong, people["owner"])
    assert undo.Step.unpacked([1, 2, 3, None]) == undo.Step(1, 2, 3, None)
    for odd in ([1, 2, 3], [1, "2", 3, None], [0, 2, 3, None], [True, 2, 3, 4], "x", None):
        assert undo.Step.unpacked(odd) is None
