"""A shared setlist's page at size: 5,000 entries paged, the same few statements on the
first and the last page as on a short setlist's; odd tokens, entry ids and pages are 404."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Setlist, SetlistEntry
from app.setlists import sharing
from app.views.setlists.shared_pages import PAGE_SIZE
from tests.setlists.building import counted, fill


@pytest.fixture
def shared_setlist(app, session, songs, people):
    """Make a setlist of `count` entries shared by a link: shared_setlist(count) -> link
    (songs are made by the first call: the longest setlist first)."""
    made: list[int] = []

    def make(count: int) -> str:
        if not made:
            made.extend(songs(count))
        song_ids = made[:count]
        setlist = Setlist(name=f"Long {count}", owner_id=people["owner"], visibility="link")
        session.add(setlist)
        session.commit()
        fill(setlist, song_ids)
        token = sharing.create(session, setlist, people["owner"]).token
        session.commit()
        return f"/shared/{token}"

    return make


def statements_for(app, url: str) -> tuple[int, str]:
    """The statements one anonymous request costs, and the page it got."""
    client = app.test_client()
    client.get(url)  # the link's last use is written once: count a later visit
    with counted() as run:
        page = client.get(url)
    assert page.status_code == 200
    return len(run), page.get_data(as_text=True)


def test_five_thousand_entries_are_paged_at_a_constant_cost(app, shared_setlist):
    """Page 1 and page 100 of 5,000 entries cost what a 25-entry setlist's page does; each
    shows its own 50 entries, numbered, with the totals of the whole setlist."""
    long = shared_setlist(5000)
    short = shared_setlist(25)
    pages = 5000 // PAGE_SIZE
    short_cost, _ = statements_for(app, short)
    first_cost, first = statements_for(app, long)
    last_cost, last = statements_for(app, f"{long}?page={pages}")
    assert short_cost == first_cost == last_cost <= 4
    assert "5000 songs" in first
    assert "Track 00000" in first
    assert "Track 00049" in first
    assert "Track 00050" not in first
    assert f"Page {pages} of {pages}" in last
    assert "Track 04999" in last
    assert f">{5000}<" in last
    assert app.test_client().get(f"{long}?page={pages + 1}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/shared/short",
        "/shared/" + "x" * 43,
        "/shared/" + "x" * 44,
        "/shared/" + "%00" * 43,
        "/shared/" + "é" * 43,
        "/shared/" + "x" * 5000,
        "/shared/" + "A" * 43 + "/stream/1",
        "/shared/" + "A" * 43 + "/download/1",
    ],
)
def test_odd_tokens_are_plain_404s(app, path):
    """Whatever is sent as a token, the answer is the same 404 as an unknown link's."""
    assert app.test_client().get(path).status_code == 404


@pytest.mark.parametrize("page", ["0", "-3", "two", "99999999999999999999", ""])
def test_odd_pages_are_404(app, shared_setlist, page):
    """A page number that is no page of the setlist answers 404."""
    link = shared_setlist(3)
    assert app.test_client().get(f"{link}?page={page}").status_code == 404


def test_odd_entry_ids_are_404(app, shared_setlist, session):
    """Entry ids beyond any column, and entries whose song file is missing, answer 404."""
    link = shared_setlist(3)
    entry_id = session.scalars(select(SetlistEntry.id)).first()
    client = app.test_client()
    for wrong in ("99999999999999999999", "-1", "x"):
        assert client.get(f"{link}/stream/{wrong}").status_code == 404
    # Songs made in bulk have no file in the store: a 404, not a server error.
    assert client.get(f"{link}/stream/{entry_id}").status_code == 404
    assert db.session is not None


def test_the_players_next_pages_come_as_json(app, shared_setlist, session):
    """/tracks?page=N gives that page's titles and stream addresses (entries, never song
    ids) and the next page's address, none after the last; the page names the second."""
    link = shared_setlist(120)
    client = app.test_client()
    assert f"{link}/tracks?page=2" in client.get(link).get_data(as_text=True)
    second = client.get(f"{link}/tracks?page=2")
    assert second.status_code == 200
    assert second.headers["Cache-Control"] == "private, no-cache"
    body = second.get_json()
    assert len(body["tracks"]) == PAGE_SIZE
    assert body["next"].endswith("/tracks?page=3")
    entry_ids = session.scalars(
        select(SetlistEntry.id).order_by(SetlistEntry.position, SetlistEntry.id)
    ).all()
    assert body["tracks"][0]["stream"].endswith(f"/stream/{entry_ids[PAGE_SIZE]}")
    assert body["tracks"][0]["title"] == f"Track {PAGE_SIZE:05}"
    assert set(body["tracks"][0]) == {"title", "author", "stream"}
    last = client.get(f"{link}/tracks?page=3").get_json()
    assert len(last["tracks"]) == 20
    assert last["next"] is None
    assert client.get(f"{link}/tracks?page=4").status_code == 404
    assert "Set-Cookie" not in second.headers
