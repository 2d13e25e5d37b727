"""The entries on a setlist's page, changed as a person does: by a script's fetch (JSON) and
by plain forms that come back to the page; who may, and odd input answered clearly."""

import re

import pytest
from sqlalchemy import delete

from app.extensions import db
from app.models import Setlist
from app.setlists import entries, rules
from tests.setlists.building import fill, make_songs, order


@pytest.fixture
def build(app, people):
    """build(owner, count, visibility="private") -> (setlist id, entry ids in order).

    Requests run outside this app context: one held open would keep `g` (and its CSRF
    token) from one request to the next."""
    built: list[int] = []  # one album of 30 songs per test (its author's name is unique)

    def make(owner: str = "owner", count: int = 30, visibility: str = "private"):
        with app.app_context():
            if not built:
                built.extend(make_songs(30))
            ids = built[:count]
            setlist = rules.create(db.session, people[owner], f"Set of {owner}")
            setlist.visibility = visibility
            db.session.commit()
            fill(setlist, ids)
            return setlist.id, order(setlist.id)

    yield make
    with app.app_context():
        db.session.execute(delete(Setlist))
        db.session.commit()


@pytest.fixture
def order_of(app):
    """order_of(setlist id) -> its entry ids in order, read in an app context of its own."""

    def read(setlist_id: int) -> list[int]:
        with app.app_context():
            return order(setlist_id)

    return read


def url(setlist_id: int, action: str = "section", entry_id: int | None = None) -> str:
    """An entries route's address."""
    tail = f"/{entry_id}" if entry_id is not None else ""
    return f"/setlists/entries/{setlist_id}/{action}{tail}"


def titles(page_html: str) -> list[str]:
    """The entries' titles a section shows, in order."""
    return re.findall(r'<tr data-entry="\d+" data-position="\d+" data-title="([^"]+)"', page_html)


def fetch(person, action: str, setlist_id: int, entry_id=None, **fields):
    """POST a change as the page's script does."""
    return person.api("POST", url(setlist_id, action, entry_id), json=fields)


def test_move_down_to_top_and_the_page_shows_it(login_as, build):
    """Move the 3rd down (now 4th), the 30th to the top: both pages show the order, and
    the answers say where each went."""
    setlist_id, ids = build()
    owner = login_as("Listener")
    answer = fetch(owner, "move", setlist_id, ids[2], to="down")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.json["message"] == "Moved “Track 00002” to position 4."
    assert (answer.json["position"], answer.json["page"], answer.json["undo"]) == (4, 1, True)
    answer = fetch(owner, "move", setlist_id, ids[29], to="top")
    assert answer.json["position"] == 1
    first = owner.get(url(setlist_id)).get_data(as_text=True)
    shown = titles(first)
    assert shown[:5] == ["Track 00029", "Track 00000", "Track 00001", "Track 00003", "Track 00002"]
    assert len(shown) == 25
    second = titles(owner.get(url(setlist_id) + "?entries_page=2").get_data(as_text=True))
    assert second == [f"Track {n:05}" for n in range(24, 29)]
    assert "26–30 of 30" in owner.get(url(setlist_id) + "?entries_page=2").get_data(as_text=True)


def test_move_to_position_from_page_two_and_out_of_range(login_as, build, order_of):
    """An entry of page 2 goes to position 3; position 0 or 31 of 30 is a clear 400."""
    setlist_id, ids = build()
    owner = login_as("Listener")
    answer = fetch(owner, "move", setlist_id, ids[27], to="3", entries_page=2)
    assert (answer.json["position"], answer.json["page"]) == (3, 1)
    assert order_of(setlist_id)[2] == ids[27]
    for bad, message in [
        ("31", "Choose a position from 1 to 30."),
        ("0", "Choose a position from 1 to 30."),
        ("sideways", "Move up, down, to the top, to the bottom, or to a position from 1 to 30."),
        ("-1", "Move up, down, to the top, to the bottom, or to a position from 1 to 30."),
        (None, "Move up, down, to the top, to the bottom, or to a position from 1 to 30."),
        ("9" * 40, "Move up, down, to the top, to the bottom, or to a position from 1 to 30."),
    ]:
        answer = fetch(owner, "move", setlist_id, ids[0], to=bad)
        assert answer.status_code == 400, bad
        assert answer.json["message"] == message
        assert answer.json["errors"] == {"to": [message]}


def test_remove_then_undo_puts_it_back_in_its_place(login_as, build, order_of):
    """Remove the 5th; undo puts the same song back between its old neighbours; undo of a
    move after it, then the move before it, one by one."""
    setlist_id, ids = build()
    owner = login_as("Listener")
    fetch(owner, "move", setlist_id, ids[10], to="top")
    answer = fetch(owner, "remove", setlist_id, ids[4])
    assert answer.json["message"] == "Removed “Track 00004”."
    assert ids[4] not in order_of(setlist_id)
    answer = fetch(owner, "undo", setlist_id)
    assert answer.status_code == 200, answer.json
    assert answer.json["message"] == "Put “Track 00004” back at position 6."
    shown = titles(owner.get(url(setlist_id)).get_data(as_text=True))
    assert shown[:7] == [f"Track {n:05}" for n in (10, 0, 1, 2, 3, 4, 5)]
    answer = fetch(owner, "undo", setlist_id)
    assert answer.json["message"] == "Moved “Track 00010” back to position 11."
    shown = titles(owner.get(url(setlist_id)).get_data(as_text=True))
    assert shown[:12] == [f"Track {n:05}" for n in range(12)]
    answer = fetch(owner, "undo", setlist_id)
    assert answer.status_code == 409
    assert answer.json["message"] == "There is nothing to undo."


def test_notes_are_set_cleared_and_undone(login_as, build):
    """A note shows on the page; a note too long is refused; undo gives the old one back."""
    setlist_id, ids = build(count=3)
    owner = login_as("Listener")
    assert fetch(owner, "note", setlist_id, ids[1], note="segue <b>").status_code == 200
    assert "segue &lt;b&gt;" in owner.get(url(setlist_id)).get_data(as_text=True)
    fetch(owner, "note", setlist_id, ids[1], note="talk-over")
    long = fetch(owner, "note", setlist_id, ids[1], note="x" * 101)
    assert long.status_code == 400
    assert long.json["errors"] == {"note": ["A note has at most 100 characters."]}
    answer = fetch(owner, "undo", setlist_id)
    assert answer.json["message"] == "Gave “Track 00001” its note back."
    assert "segue &lt;b&gt;" in owner.get(url(setlist_id)).get_data(as_text=True)


def test_plain_forms_come_back_to_the_page_they_left(login_as, build, order_of):
    """Without scripts: a move from page 2 redirects to page 2 with the message flashed;
    a refusal too."""
    setlist_id, ids = build()
    owner = login_as("Listener")
    answer = owner.submit(
        url(setlist_id) + "?entries_page=2",
        {"to": "top", "entries_page": "2"},
        post_url=url(setlist_id, "move", ids[26]),
    )
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(
        f"/setlists/show/{setlist_id}?entries_page=2#entries"
    )
    assert order_of(setlist_id)[0] == ids[26]
    shown = owner.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Moved “Track 00026” to position 1." in shown
    assert f'action="/setlists/entries/{setlist_id}/undo"' in shown
    assert titles(shown) == [f"Track {n:05}" for n in (24, 25, 27, 28, 29)]  # page 2 still
    answer = owner.submit(url(setlist_id), {"to": "77"}, post_url=url(setlist_id, "move", ids[1]))
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("?entries_page=1#entries")
    with owner.client.session_transaction() as cookie:
        assert ("danger", "Choose a position from 1 to 30.") in cookie["_flashes"]


@pytest.mark.parametrize(
    ("owner", "visibility", "role", "status"),
    [
        ("other", "private", "Listener", 404),
        ("other", "catalog", "Listener", 403),
        ("other", "catalog", "Editor", 200),
        ("other", "private", "Editor", 404),
        ("other", "private", "Admin", 200),
        ("owner", "private", "Listener", 200),
    ],
)
def test_who_may_change_entries(login_as, build, owner, visibility, role, status, order_of):
    """Another listener's private setlist is a 404, a catalog one a 403 (seen, not changed);
    an editor changes catalog setlists, an admin any."""
    setlist_id, ids = build(owner, count=3, visibility=visibility)
    person = login_as(role)
    for action, entry_id, fields in [
        ("move", ids[0], {"to": "down"}),
        ("note", ids[1], {"note": "hi"}),
        ("remove", ids[2], {}),
    ]:
        answer = fetch(person, action, setlist_id, entry_id, **fields)
        assert answer.status_code == status, (action, answer.get_data(as_text=True)[:200])
        if status != 200:
            assert answer.json["message"] in (
                "There is no such setlist.",
                "You may see this setlist but not change it.",
            )
    expected = 200 if status != 404 else 404
    assert person.get(url(setlist_id)).status_code == expected
    if status == 403:
        assert order_of(setlist_id) == ids
        assert "data-entry-handle" not in person.get(url(setlist_id)).get_data(as_text=True)


def test_odd_ids_and_others_entries_are_404s(login_as, build, app, order_of):
    """Entry ids of another setlist, unknown, huge; setlist ids unknown or huge: 404, never
    500; a visitor is sent to log in; a POST without CSRF is refused."""
    setlist_id, ids = build(count=3)
    other_id, other_ids = build(count=2)
    owner = login_as("Listener")
    for entry_id in (other_ids[0], 10**9, 2**31, 10**30):
        answer = fetch(owner, "move", setlist_id, entry_id, to="up")
        assert answer.status_code == 404, entry_id
        assert fetch(owner, "remove", setlist_id, entry_id).status_code == 404
        assert fetch(owner, "note", setlist_id, entry_id, note="x").status_code == 404
    for bad_setlist in (10**9, 2**31, 10**30):
        assert fetch(owner, "move", bad_setlist, ids[0], to="up").status_code == 404
        assert owner.get(url(bad_setlist)).status_code == 404
    assert owner.get("/setlists/entries/abc/section").status_code == 404
    assert fetch(owner, "move", setlist_id, ids[0], to=["up"]).status_code == 400
    assert owner.api("POST", url(setlist_id, "move", ids[0]), json=[1]).status_code == 400
    assert order_of(other_id) == other_ids
    assert login_as(None).get(url(setlist_id)).status_code in (302, 401)
    raw = owner.client.post(url(setlist_id, "move", ids[0]), data={"to": "down"})
    assert raw.status_code == 400
    assert order_of(setlist_id) == ids
    with app.app_context():
        assert db.session.get(Setlist, setlist_id) is not None


def test_undo_refuses_what_changed_since(login_as, build, app, order_of):
    """Someone else moved the entry after the owner did: the owner's undo says so and
    leaves it where it is."""
    setlist_id, ids = build(count=4)
    owner = login_as("Listener")
    fetch(owner, "move", setlist_id, ids[0], to="bottom")
    with app.app_context():
        entries.move(db.session, db.session.get(Setlist, setlist_id), ids[0], "top")
        db.session.commit()
    answer = fetch(owner, "undo", setlist_id)
    assert answer.status_code == 409
    assert answer.json["message"] == "“Track 00000” has changed since; nothing was undone."
    assert order_of(setlist_id) == ids
