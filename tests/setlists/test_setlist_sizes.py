"""What a setlist's pages and changes cost at 25 and at 5,000 entries: the same SQL statements
(issue 26, "Size"), counted through the HTTP routes as a signed-in listener uses them."""

import pytest
from sqlalchemy import insert, select

from app.extensions import db
from app.models import Setlist, SetlistEntry, Song
from tests.setlists.building import counted, fill, make_songs

SIZES = (25, 5000)
#: Ceilings: a page or change that starts to cost more fails here, whatever its length.
MOST = {"setlist page": 8, "list page": 5}


@pytest.fixture
def long_and_short(app, session, people):
    """{entries: setlist id} for a setlist of each size in SIZES, the listener's own, with
    a few other people's setlists around them."""
    song_ids = make_songs(max(SIZES))
    made = {}
    for size in SIZES:
        setlist = Setlist(name=f"Set of {size}", owner_id=people["owner"], visibility="private")
        session.add(setlist)
        session.commit()
        fill(setlist, song_ids[:size])
        made[size] = setlist.id
    for number in range(30):
        owner = people["other"] if number % 2 else people["editor"]
        session.add(Setlist(name=f"Other {number}", owner_id=owner, visibility="catalog"))
    session.commit()
    return made


def statements_of(client, method: str, path: str, **kwargs) -> int:
    """How many SQL statements one request runs (it must succeed)."""
    with counted() as run:
        answer = client.open(path, method=method, **kwargs)
    assert answer.status_code < 400, f"{method} {path} answered {answer.status_code}"
    return len(run)


def middle_entry(setlist_id: int) -> int:
    """The id of the entry in the middle of a setlist."""
    ids = db.session.scalars(
        select(SetlistEntry.id)
        .where(SetlistEntry.setlist_id == setlist_id)
        .order_by(SetlistEntry.position, SetlistEntry.id)
    ).all()
    return ids[len(ids) // 2]


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


def test_the_setlist_list_costs_the_same_when_a_setlist_grows_to_5000(
    login_as, long_and_short, session
):
    """Each tab of the list (mine, the catalog's, all) with a listed setlist of 25 entries,
    then of 5,000: the same statements (a page's counts and playing times in one query)."""
    listener = login_as("Listener").client
    tabs = ("/setlists/list/", "/setlists/list/?tab=catalog", "/setlists/list/?tab=all")
    short = session.get(Setlist, long_and_short[25])
    costs = {}
    for size in SIZES:
        if size > 25:  # the short setlist grows to 5,000 entries
            more = session.scalars(select(Song.id).order_by(Song.id).limit(size - 25)).all()
            rows = [{"setlist_id": short.id, "song_id": song_id, "position": (26 + n) * 1024}
                    for n, song_id in enumerate(more)]  # fmt: skip
            session.execute(insert(SetlistEntry), rows)
            session.commit()
        for path in tabs:
            listener.get(path)
            costs[size, path] = statements_of(listener, "GET", path)
        assert "Set of 25" in listener.get("/setlists/list/").get_data(as_text=True)
    for path in tabs:
        assert costs[25, path] == costs[5000, path], costs
    assert max(costs.values()) <= MOST["list page"], costs
