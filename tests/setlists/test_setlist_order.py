"""A setlist's order: adding songs (a thousand at once), moving one entry at a constant
cost in statements at 25 and 5,000 entries, renumbering when gaps run out, paging, totals."""

import pytest
from sqlalchemy import select, update

from app.models import SetlistEntry
from app.setlists import entries, rules
from tests.setlists.building import counted, fill, order

#: The issue's budget: moving one entry, the setlist's own lookup included.
MOVE_BUDGET = 5


@pytest.fixture
def setlist(session, people):
    """An empty private setlist of the owner's."""
    made = rules.create(session, people["owner"], "Road trip")
    session.commit()
    return made


def test_adding_a_thousand_songs_is_one_batch_after_the_last(session, people, setlist, songs):
    """1,000 songs (one repeated, two unknown ids) go in order after what is there, in a
    constant number of statements; unknown ids are dropped and counted."""
    ids = songs(1000)
    entries.add_songs(session, setlist, ids[:1], people["owner"])
    session.commit()
    wanted = [*ids[1:999], ids[0], -5, 10**9]
    with counted() as run:
        added = entries.add_songs(session, setlist, wanted, people["owner"], note="segue")
        session.commit()
    assert (len(added.entries), added.dropped) == (999, 2)
    # songs, count and last, the setlist's time, the entries, their history rows
    assert len(run) <= 8, run
    songs_in_order = list(
        session.scalars(
            select(SetlistEntry.song_id)
            .where(SetlistEntry.setlist_id == setlist.id)
            .order_by(SetlistEntry.position)
        )
    )
    assert songs_in_order == [ids[0], *ids[1:999], ids[0]]
    assert entries.counted_totals(session, setlist.id) == (1000, 60_000.0)
    with pytest.raises(rules.SetlistRefused):
        entries.add_songs(session, setlist, ["1"], people["owner"])


@pytest.mark.parametrize("size", [25, 5000])
def test_moving_one_entry_costs_the_same_at_any_length(session, people, songs, size):
    """Up, down, top, bottom and to a place: each ≤ MOVE_BUDGET statements (finding the
    setlist, the neighbours, the entry's and the setlist's updates, the history row)."""
    ids = songs(25)
    made = rules.create(session, people["owner"], "Long")
    fill(made, [ids[index % 25] for index in range(size)])
    expected = order(made.id)
    middle, setlist_id = expected[size // 2], made.id
    session.expire_all()
    for where in ("up", "down", "top", "bottom", 3, size // 3):
        with counted() as run:
            found = rules.find(session, setlist_id, people["owner"], False, True)
            entries.move(session, found, middle, where)
            session.commit()
        assert len(run) <= MOVE_BUDGET, (where, run)
        index = expected.index(middle)
        expected.remove(middle)
        bottom = len(expected)
        place = {"up": index - 1, "down": index + 1, "top": 0, "bottom": bottom}.get(where, where)
        expected.insert(place, middle)
        assert order(setlist_id) == expected, where


def test_a_sequence_of_moves_gives_the_order_asked_for(session, people, setlist, songs):
    """Moves in every direction, then the whole order, then paging and keyset agree."""
    ids = songs(6)
    made = entries.add_songs(session, setlist, ids, people["owner"]).entries
    session.commit()
    a, b, c, d, e, f = (entry.id for entry in made)
    steps = [
        ((f, "top"), [f, a, b, c, d, e]),
        ((a, "bottom"), [f, b, c, d, e, a]),
        ((c, "up"), [f, c, b, d, e, a]),
        ((c, "up"), [c, f, b, d, e, a]),
        ((c, "up"), [c, f, b, d, e, a]),  # the first stays first
        ((f, "down"), [c, b, f, d, e, a]),
        ((a, "down"), [c, b, f, d, e, a]),  # the last stays last
        ((d, 0), [d, c, b, f, e, a]),
        ((d, 3), [c, b, f, d, e, a]),
        ((b, 5), [c, f, d, e, a, b]),
        ((e, 99), [c, f, d, a, b, e]),  # past the end: the bottom
        ((a, 2), [c, f, a, d, b, e]),
    ]
    for (entry_id, where), expected in steps:
        entries.move(session, setlist, entry_id, where)
        session.commit()
        assert order(setlist.id) == expected, (entry_id, where)
    first = entries.page(session, setlist.id, 0, 4)
    rest = entries.page(session, setlist.id, limit=4, after=(first[-1].position, first[-1].id))
    assert [entry.id for entry in first + rest] == expected
    assert [entry.id for entry in entries.page(session, setlist.id, 4, 4)] == expected[4:]
    with pytest.raises(rules.SetlistRefused):
        entries.move(session, setlist, a, "sideways")
    with pytest.raises(rules.SetlistRefused):
        entries.move(session, setlist, 10**9, "up")


def test_no_gap_left_renumbers_the_setlist_in_one_statement(session, people, setlist, songs):
    """Positions 1, 2, 3...: a move between neighbours renumbers once, keeps the order,
    and leaves STEP between every two entries."""
    ids = songs(8)
    fill(setlist, ids, step=1)
    expected = order(setlist.id)
    moved = expected.pop(6)
    expected.insert(2, moved)
    with counted() as run:
        entries.move(session, setlist, moved, 2)
        session.commit()
    renumbers = [sql for sql in run if sql.lstrip().upper().startswith("UPDATE SETLIST_ENTRY")]
    assert len(renumbers) == 2, run  # the renumber, then the entry's own update
    assert order(setlist.id) == expected
    positions = list(
        session.scalars(
            select(SetlistEntry.position)
            .where(SetlistEntry.setlist_id == setlist.id)
            .order_by(SetlistEntry.position)
        )
    )
    # Renumbered STEP apart, then the moved entry between its new neighbours (2nd and 3rd).
    step = entries.STEP
    assert positions == [step, 2 * step, 2 * step + step // 2, *(n * step for n in (3, 4, 5, 6, 8))]


def test_ties_and_the_top_of_the_integer_range_are_handled(session, people, setlist, songs):
    """Entries sharing a position order by id; a setlist near the column's limit renumbers
    before an add would overflow it."""
    ids = songs(4)
    fill(setlist, ids[:3], step=0)  # three entries at position 0: ordered by id
    a, b, c = order(setlist.id)
    entries.move(session, setlist, c, 1)
    session.commit()
    assert order(setlist.id) == [a, c, b]
    session.execute(
        update(SetlistEntry).where(SetlistEntry.id == b).values(position=entries.HIGHEST - 10)
    )
    session.commit()
    session.expire_all()
    entries.add_songs(session, setlist, [ids[3]], people["owner"])
    session.commit()
    assert len(order(setlist.id)) == 4
    assert max(session.scalars(select(SetlistEntry.position))) <= 4 * entries.STEP


def test_remove_and_annotate(session, people, setlist, songs):
    """An entry goes from its setlist only; a note is trimmed, ≤ 100 characters, clearable."""
    ids = songs(3)
    made = entries.add_songs(session, setlist, ids, people["owner"]).entries
    other = rules.create(session, people["owner"], "Other")
    session.commit()
    entries.remove(session, setlist, made[1].id)
    session.commit()
    assert order(setlist.id) == [made[0].id, made[2].id]
    with pytest.raises(rules.SetlistRefused):
        entries.remove(session, other, made[0].id)
    assert entries.annotate(session, setlist, made[0].id, "  talk-over ").note == "talk-over"
    with pytest.raises(rules.SetlistRefused):
        entries.annotate(session, setlist, made[0].id, "x" * 101)
    assert entries.annotate(session, setlist, made[0].id, "").note is None
    assert entries.counted_totals(session, setlist.id) == (2, 120.0)
    assert entries.counted_totals(session, other.id) == (0, 0.0)
