"""Playing a setlist: its tracks in order as JSON pages for the player's queue, only for those
who may see it and play songs, at the same cost on any page of a setlist of any length."""

import time

import pytest
from flask_login import login_user
from sqlalchemy import event

from app.extensions import db
from app.models import Setlist, Song
from app.setlists import entries, rules
from app.views.setlists.playing import play_button
from tests.setlists.building import fill, make_songs

URL = "/api/v1/playqueue/setlists/{}"


@pytest.fixture
def make_setlist(app, people):
    """make_setlist(count, owner="owner", visibility="private") -> (setlist id, song ids in
    playing order); the songs are new, one album. No app context is left open: requests
    must not share one (Flask-Login keeps the user in it)."""

    def make(count: int, owner: str = "owner", visibility: str = "private"):
        with app.app_context():
            setlist = rules.create(db.session, people[owner], f"Set of {count}", may_publish=True)
            setlist.visibility = visibility
            db.session.commit()
            song_ids = songs_of_a_new_album(count, f"Album {setlist.id}") if count else []
            if song_ids:
                fill(setlist, song_ids)
            return setlist.id, song_ids

    return make


def songs_of_a_new_album(count: int, title: str) -> list[int]:
    """`count` new songs of a new album of its own author, in a few statements."""
    song_ids = make_songs(count)
    album = db.session.get(Song, song_ids[0]).album
    album.title = title
    album.author.name = f"Many {title}"
    db.session.commit()
    return song_ids


def song_ids_of(answer) -> list[int]:
    """The song ids a page lists, in order."""
    return [track["id"] for track in answer.json["songs"]]


def test_pages_follow_the_setlist_order_across_page_boundaries(app, make_setlist, login_as):
    """60 entries (one moved to the top, one song twice): pages of 25 in order, each track
    with its place, the total and whether more follow; the pages joined are the setlist."""
    setlist_id, song_ids = make_setlist(59)
    with app.app_context():
        setlist = db.session.get(Setlist, setlist_id)
        entries.add_songs(db.session, setlist, [song_ids[3]], None)  # the song again, last
        last = entries.page(db.session, setlist_id, offset=59, limit=1)[0]
        entries.move(db.session, setlist, last.id, "top")
        db.session.commit()
    expected = [song_ids[3], *song_ids]
    owner = login_as("Listener")
    first = owner.api("GET", URL.format(setlist_id))
    assert first.status_code == 200, first.json
    assert first.headers["Cache-Control"] == "no-store"
    assert (first.json["title"], first.json["total"], first.json["offset"]) == ("Set of 59", 60, 0)
    assert first.json["more"] is True
    assert [track["at"] for track in first.json["songs"]] == list(range(25))
    track = first.json["songs"][0]
    assert track["stream"] == f"/songs/stream/{song_ids[3]}"
    assert (track["album"], track["duration"]) == (f"Album {setlist_id}", 60.0)
    assert track["author"] == f"Many Album {setlist_id}"
    second = owner.api("GET", URL.format(setlist_id) + "?offset=25")
    third = owner.api("GET", URL.format(setlist_id) + "?offset=50")
    assert third.json["more"] is False
    assert [track["at"] for track in third.json["songs"]] == list(range(50, 60))
    assert song_ids_of(first) + song_ids_of(second) + song_ids_of(third) == expected
    beyond = owner.api("GET", URL.format(setlist_id) + "?offset=60&limit=200")
    assert (beyond.json["songs"], beyond.json["more"]) == ([], False)


@pytest.mark.parametrize(
    "query", ["offset=-1", "offset=x", "offset=10001", "limit=0", "limit=201", "limit=1.5"]
)
def test_bad_paging_arguments_are_a_400_naming_them(make_setlist, login_as, query):
    """Never a 500: a 400 in JSON that names the argument."""
    setlist_id, _ids = make_setlist(3)
    answer = login_as("Listener").api("GET", URL.format(setlist_id) + "?" + query)
    assert answer.status_code == 400
    assert query.split("=")[0] in answer.json["errors"]


def test_who_may_fetch_the_tracks(make_setlist, login_as, own_account, app):
    """Owner and admin see a private setlist; another listener and an editor get the same 404
    as for no setlist at all; a catalog setlist plays for every listener."""
    private_id, _ids = make_setlist(3)
    catalog_id, _ids = make_setlist(2, owner="editor", visibility="catalog")
    olivia = login_as(None)
    assert olivia.login(own_account)
    for who, setlist_id, status in [
        (login_as("Listener"), private_id, 200),
        (login_as("Admin"), private_id, 200),
        (olivia, private_id, 404),
        (login_as("Editor"), private_id, 404),
        (olivia, catalog_id, 200),
        (olivia, private_id + catalog_id + 99, 404),
        (olivia, 2**40, 404),
    ]:
        answer = who.api("GET", URL.format(setlist_id))
        assert answer.status_code == status, (setlist_id, answer.json)
    missing = olivia.api("GET", URL.format(private_id)).json
    nowhere = olivia.api("GET", URL.format(private_id + catalog_id + 99)).json
    assert missing["message"] == nowhere["message"] == "There is no such setlist."
    assert "Set of" not in str(missing)


def test_visitors_get_a_401_in_json(make_setlist, browser):
    """Anonymous (no public browsing here): 401 with a message, as the queue's endpoints."""
    _private, _ids = make_setlist(2)
    catalog_id, _ids = make_setlist(2, owner="editor", visibility="catalog")
    answer = browser.api("GET", URL.format(catalog_id))
    assert answer.status_code == 401
    assert answer.json["message"] == "Log in to play songs."


def test_public_browsing_lets_visitors_see_but_not_play(standalone_app, visit):
    """With CATALOG_PUBLIC_BROWSE, visitors may read catalog setlists, not stream their songs."""
    public = standalone_app(CATALOG_PUBLIC_BROWSE=True)
    with public.app_context():
        owner = public.appbuilder.sm.add_user(
            "pat", "Pat", "Editor", "pat@example.org", public.appbuilder.sm.find_role("Editor"),
            "Pat-password-1234",
        )  # fmt: skip
        setlist = rules.create(
            db.session, owner.id, "Public set", visibility="catalog", may_publish=True
        )
        db.session.commit()
        fill(setlist, make_songs(2))
        setlist_id = setlist.id
    assert visit(public).api("GET", URL.format(setlist_id)).status_code == 401


def cost(engine, listener, setlist_id: int, offset: int) -> tuple[int, float]:
    """The statements and the seconds one page costs (no app context held: the request
    must load its user as any request does)."""
    statements = []

    def count(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        answer = listener.api("GET", URL.format(setlist_id) + f"?offset={offset}")
        took = time.perf_counter() - started
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert answer.status_code == 200
    assert len(answer.json["songs"]) == 25
    return len(statements), took


def test_a_page_costs_the_same_statements_at_25_and_5000_entries(app, make_setlist, login_as):
    """The first page of 25 entries, the first and the last of 5,000: equal statement counts
    (the setlist, its page, its total; the rest is the signed-in request's own)."""
    small_id, _ids = make_setlist(25)
    big_id, _ids = make_setlist(5000)
    listener = login_as("Listener")
    listener.api("GET", URL.format(small_id))  # warm: the first request reads the roles
    with app.app_context():
        engine = db.engine
    small, _ = cost(engine, listener, small_id, 0)
    big_first, _ = cost(engine, listener, big_id, 0)
    big_last, took = cost(engine, listener, big_id, 4975)
    assert small == big_first == big_last, (small, big_first, big_last)
    assert small <= 8, small
    assert took < 1.0


def test_the_buttons_show_only_with_entries_to_someone_who_may_play(app, make_setlist, users):
    """ "Play setlist" and "Shuffle" carry the tracks' address, the total and the name; an empty
    setlist and a visitor get none."""
    full_id, _ids = make_setlist(30)
    empty_id, _ids = make_setlist(0)
    sm = app.appbuilder.sm
    with app.test_request_context("/"):
        login_user(sm.find_user(username=users["Listener"]))
        html = str(play_button(db.session.get(Setlist, full_id), None))
        assert "Play setlist" in html
        assert "Shuffle" in html
        assert f'data-play-source="/api/v1/playqueue/setlists/{full_id}"' in html
        assert 'data-source-total="30"' in html
        assert 'data-source-title="Set of 30"' in html
        assert str(play_button(db.session.get(Setlist, empty_id), None)) == ""
    with app.test_request_context("/"):
        assert str(play_button(db.session.get(Setlist, full_id), None)) == ""


def test_a_setlist_name_is_escaped_in_the_buttons(app, make_setlist, users):
    """A name with markup stays text in the button's data."""
    setlist_id, _ids = make_setlist(1)
    with app.test_request_context("/"):
        db.session.get(Setlist, setlist_id).name = '"><script>alert(1)</script>'
        db.session.commit()
        login_user(app.appbuilder.sm.find_user(username=users["Listener"]))
        html = str(play_button(db.session.get(Setlist, setlist_id), None))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_deleted_songs_leave_the_pages_closed_up(app, make_setlist, login_as):
    """A song deleted from the catalog leaves the setlist: the pages and total follow."""
    setlist_id, song_ids = make_setlist(30)
    with app.app_context():
        db.session.delete(db.session.get(Song, song_ids[0]))
        db.session.commit()
    answer = login_as("Listener").api("GET", URL.format(setlist_id))
    assert answer.json["total"] == 29
    assert song_ids_of(answer) == song_ids[1:26]
