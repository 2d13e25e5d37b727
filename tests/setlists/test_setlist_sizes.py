"""What a setlist's pages and changes cost at 25 and at 5,000 entries: the same SQL statements
(issue 26, "Size"), counted through the HTTP routes as a signed-in listener uses them.

The setlists are built in an app context of their own that ends before the first request:
requests made inside a test's app context share its `g`, where the CSRF token of the session
before login would stay cached."""

import pytest
from sqlalchemy import insert, select

from app.extensions import db
from app.models import Setlist, SetlistEntry, Song
from app.setlists import entries
from app.setlists.sizes import recount
from tests.setlists.building import counted, fill, make_songs, order
from tests.support.forms import CSRF_META

SIZES = (25, 5000)
#: Ceilings: a page or change that starts to cost more fails here, whatever its length.
#: A request's own three (the session's user, their roles' permissions, the setlist found by
#: the rules) are in each figure.
MOST = {"setlist page": 9, "list page": 7, "move": 12, "queue page": 6, "add": 10}
#: The issue's figure for the domain's move (entries.move, flushed with its history row).
DOMAIN_MOVE = 5


@pytest.fixture
def long_and_short(app, people):
    """{entries: setlist id} for a setlist of each size in SIZES, the listener's own, with
    a few other people's setlists around them."""
    made = {}
    with app.app_context():
        song_ids = make_songs(max(SIZES))
        for size in SIZES:
            setlist = Setlist(name=f"Set of {size}", owner_id=people["owner"])
            db.session.add(setlist)
            db.session.commit()
            fill(setlist, song_ids[:size])
            made[size] = setlist.id
        for number in range(30):
            owner = people["other"] if number % 2 else people["editor"]
            db.session.add(Setlist(name=f"Other {number}", owner_id=owner, visibility="catalog"))
        db.session.commit()
    return made


def statements_of(client, method: str, path: str, **kwargs) -> int:
    """How many SQL statements one request runs (it must succeed)."""
    with client.application.app_context(), counted() as run:
        answer = client.open(path, method=method, **kwargs)
    assert answer.status_code < 400, f"{method} {path}: {answer.status_code}"
    return len(run)


def in_app(client, work, *args):
    """Call work(*args) in an app context of the client's app."""
    with client.application.app_context():
        return work(*args)


def middle_entry(setlist_id: int) -> int:
    """The id of the entry in the middle of a setlist."""
    return order(setlist_id)[len(order(setlist_id)) // 2]


def grow(setlist_id: int, more: int) -> None:
    """Append `more` entries (the catalog's first songs) to a setlist in one statement."""
    song_ids = db.session.scalars(select(Song.id).order_by(Song.id).limit(more)).all()
    last = len(order(setlist_id))
    rows = [{"setlist_id": setlist_id, "song_id": song_id, "position": (last + n + 1) * 1024}
            for n, song_id in enumerate(song_ids)]  # fmt: skip
    db.session.execute(insert(SetlistEntry), rows)
    recount(db.session, Setlist.id == setlist_id)
    db.session.commit()


def test_a_setlist_s_page_costs_the_same_at_25_and_5000_entries(login_as, long_and_short):
    """First page, a middle page and the last page of both: one count of statements."""
    listener = login_as("Listener").client
    costs = {}
    for size, setlist_id in long_and_short.items():
        pages = (1, max(1, size // 25 // 2), max(1, size // 25))
        for page in pages:
            path = f"/setlists/show/{setlist_id}?entries_page={page}"
            listener.get(path)  # a first visit may read what later ones have kept
            costs[size, page] = statements_of(listener, "GET", path)
    assert len(set(costs.values())) == 1, costs
    assert max(costs.values()) <= MOST["setlist page"], costs


def test_the_setlist_list_costs_the_same_when_a_setlist_grows_to_5000(login_as, long_and_short):
    """Each tab of the list (mine, the catalog's, all) with a listed setlist of 25 entries,
    then of 5,000: the same statements (a page's counts and playing times in one query)."""
    listener = login_as("Listener").client
    tabs = ("/setlists/list/", "/setlists/list/?tab=catalog", "/setlists/list/?tab=all")
    costs = {}
    for size in SIZES:
        if size > 25:  # the short setlist grows to 5,000 entries
            in_app(listener, grow, long_and_short[25], size - 25)
        for path in tabs:
            listener.get(path)
            costs[size, path] = statements_of(listener, "GET", path)
        assert "Set of 25" in listener.get("/setlists/list/").get_data(as_text=True)
    for path in tabs:
        assert costs[25, path] == costs[5000, path], costs
    assert max(costs.values()) <= MOST["list page"], costs


def token_of(client) -> str:
    """The CSRF token the site's pages carry for their scripts."""
    return CSRF_META.search(client.get("/").get_data(as_text=True)).group(1)


def test_moving_one_entry_costs_the_same_at_25_and_5000_entries(login_as, long_and_short):
    """The move route (as the page's script sends it): to the top, to the middle, down one,
    to the end; the same statements in both setlists, and the order really changed."""
    listener = login_as("Listener").client
    headers = {"X-CSRFToken": token_of(listener), "Accept": "application/json"}
    costs = {}
    for size, setlist_id in long_and_short.items():
        entry = in_app(listener, middle_entry, setlist_id)
        for to in ("1", str(size // 2), "down", str(size)):
            path = f"/setlists/entries/{setlist_id}/move/{entry}"
            costs[size, to] = statements_of(listener, "POST", path, json={"to": to},
                                            headers=headers)  # fmt: skip
        assert in_app(listener, order, setlist_id)[-1] == entry
    by_size = {size: [cost for (at, _to), cost in costs.items() if at == size] for size in SIZES}
    assert by_size[25] == by_size[5000], costs
    assert max(costs.values()) <= MOST["move"], costs
    domain = {size: in_app(listener, moved_in_domain, setlist_id)
              for size, setlist_id in long_and_short.items()}  # fmt: skip
    assert domain[25] == domain[5000], domain
    assert domain[5000] <= DOMAIN_MOVE, domain


def moved_in_domain(setlist_id: int) -> int:
    """Statements of entries.move (a middle entry to the second place) with its flush."""
    setlist = db.session.get(Setlist, setlist_id)
    entry = middle_entry(setlist_id)
    with counted() as run:
        entries.move(db.session, setlist, entry, 1)
        db.session.commit()
    return len(run)


def test_the_queue_s_pages_cost_the_same_at_25_and_5000_entries(login_as, long_and_short):
    """Play setlist's first page of tracks, and a later one: one request each, the same
    statements whatever the setlist's length."""
    listener = login_as("Listener").client
    costs = {}
    for size, setlist_id in long_and_short.items():
        for offset in (0, size - 25):
            path = f"/api/v1/playqueue/setlists/{setlist_id}?offset={offset}"
            costs[size, offset] = statements_of(listener, "GET", path)
            tracks = listener.get(path).get_json()
            assert tracks["total"] == size, tracks.keys()
    assert len(set(costs.values())) == 1, costs
    assert max(costs.values()) <= MOST["queue page"], costs


def test_adding_1000_ticked_songs_costs_what_adding_10_does(login_as, long_and_short):
    """The songs list's bulk action ("Add to setlist" on ticked rows) and the picker's JSON add,
    with 10 and with 1,000 songs, into the 25- and the 5,000-entry setlist: the same
    statements each time, and every song arrives."""
    listener = login_as("Listener").client
    token = token_of(listener)
    song_ids = in_app(listener, lambda: db.session.scalars(select(Song.id).limit(1000)).all())
    costs = {}
    for size, setlist_id in long_and_short.items():
        for count in (10, 1000):
            ids = ",".join(str(song_id) for song_id in song_ids[:count])
            form = {"csrf_token": token, "ids": ids, "setlist": str(setlist_id)}
            costs["bulk", size, count] = statements_of(listener, "POST", "/setlists/adding/bulk",
                                                      data=form)  # fmt: skip
            path = f"/setlists/adding/{setlist_id}"
            costs["json", size, count] = statements_of(
                listener, "POST", path, json={"songs": song_ids[:count]},
                headers={"X-CSRFToken": token},
            )  # fmt: skip
        assert len(in_app(listener, order, setlist_id)) == size + 2 * (10 + 1000)
    for door in ("bulk", "json"):
        door_costs = {key: cost for key, cost in costs.items() if key[0] == door}
        assert len(set(door_costs.values())) == 1, costs
    assert max(costs.values()) <= MOST["add"], costs
