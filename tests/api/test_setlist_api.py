"""/api/v1/setlist/ as a client uses it: a listener's journey with a bearer token, the
editor who publishes, refusals as clear JSON, a move's cost at 25 and 5,000 entries."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Setlist, SetlistEntry
from tests.setlists.building import counted, fill, make_songs, order
from tests.support.apps import PASSWORD

API = "/api/v1/setlist/"


class Client:
    """A bearer-token client of the API (no session cookie, no CSRF token)."""

    def __init__(self, app, username: str) -> None:
        self.http = app.test_client()
        login = {"username": username, "password": PASSWORD}
        token = self.http.post("/api/v1/security/login", json=login).json["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}

    def __call__(self, method: str, url: str, json=None, status: int = 200):
        """Call the API; the answer's JSON, after checking its status."""
        answer = self.http.open(url, method=method, json=json, headers=self.headers)
        assert answer.status_code == status, (method, url, answer.status_code, answer.json)
        assert answer.is_json
        return answer.json


@pytest.fixture
def listener(app, users) -> Client:
    """The listener, with a token."""
    return Client(app, users["Listener"])


@pytest.fixture
def editor_token(app, users) -> Client:
    """The editor, with a token."""
    return Client(app, users["Editor"])


@pytest.fixture
def three_songs(app) -> list[int]:
    """Three songs' ids, in order."""
    with app.app_context():
        return make_songs(3, duration=100.0)


def titles(client: Client, setlist_id: int) -> list[tuple[int, str, str | None]]:
    """(position, title, note) of the setlist's entries in order."""
    page = client("GET", f"{API}{setlist_id}/entries/")
    return [(row["position"], row["title"], row["note"]) for row in page["result"]]


def test_a_listener_builds_a_setlist_and_an_editor_publishes_it(
    app, listener, editor_token, three_songs
):
    """Create, bulk add 3, move, note, remove, list in order; publishing is an editor's;
    the owner deletes it and it is gone."""
    made = listener("POST", API, {"name": "  Friday Show ", "description": "Late"}, 201)
    setlist_id = made["id"]
    assert made["result"]["name"] == "Friday Show"
    assert made["result"]["visibility"] == "private"
    assert made["result"]["mine"]
    assert made["result"]["may_edit"]
    added = listener("POST", f"{API}{setlist_id}/entries/", {"song_ids": three_songs}, 201)
    assert added["added"] == 3
    assert added["count"] == 3
    first, second, third = added["ids"]
    moved = listener("POST", f"{API}{setlist_id}/entries/{third}/move", {"to": "top"})
    assert moved["result"]["position"] == 1
    assert moved["result"]["title"] == "Track 00002"
    moved = listener("POST", f"{API}{setlist_id}/entries/{first}/move", {"to": 3})
    assert moved["result"]["position"] == 3
    noted = listener("PUT", f"{API}{setlist_id}/entries/{second}", {"note": " segue "})
    assert noted["result"]["note"] == "segue"
    assert titles(listener, setlist_id) == [
        (1, "Track 00002", None),
        (2, "Track 00001", "segue"),
        (3, "Track 00000", None),
    ]
    listener("DELETE", f"{API}{setlist_id}/entries/{third}")
    assert titles(listener, setlist_id) == [(1, "Track 00001", "segue"), (2, "Track 00000", None)]
    page = listener("GET", f"{API}{setlist_id}/entries/")
    assert page["count"] == 2
    assert page["duration"] == 200.0
    assert page["result"][0]["album"]["title"] == "Bulk"
    assert page["result"][0]["author"]["name"] == "Many"

    refused = listener("PUT", f"{API}{setlist_id}", {"visibility": "catalog"}, 400)
    assert refused["errors"] == {
        "visibility": ["Only an editor may publish a setlist to the catalog."]
    }
    assert listener("GET", f"{API}{setlist_id}")["result"]["visibility"] == "private"
    editor_token("GET", f"{API}{setlist_id}", status=404)  # private: not the editor's to see
    published = editor_token("POST", API, {"name": "Staff picks"}, 201)["id"]
    listener("GET", f"{API}{published}", status=404)
    editor_token("POST", f"{API}{published}/entries/", {"song_ids": three_songs[:2]}, 201)
    editor_token("PUT", f"{API}{published}", {"visibility": "catalog"})
    shown = listener("GET", f"{API}{published}")["result"]
    assert shown["visibility"] == "catalog"
    assert shown["entry_count"] == 2
    assert not shown["may_edit"]
    assert not shown["mine"]
    listener("PUT", f"{API}{published}", {"name": "Mine now"}, 403)
    listener("POST", f"{API}{published}/entries/", {"song_id": three_songs[0]}, 403)
    listener("DELETE", f"{API}{setlist_id}")
    listener("GET", f"{API}{setlist_id}", status=404)
    with app.app_context():
        left = select(SetlistEntry.id).where(SetlistEntry.setlist_id == setlist_id)
        assert db.session.scalars(left).all() == []


def test_an_editor_publishes_their_own_setlist(editor_token, listener):
    """An editor's new setlist goes straight to the catalog, where listeners see it."""
    made = editor_token("POST", API, {"name": "Label promo", "visibility": "catalog"}, 201)
    found = listener("GET", API + "?q=(name:PROMO)")
    assert [row["id"] for row in found["result"]] == [made["id"]]
    assert not found["result"][0]["may_edit"]
    assert listener("GET", API + "?q=(mine:!t)")["result"] == []


def test_unknown_songs_are_named_and_nothing_is_added(listener, three_songs):
    """All or nothing: ids of no song are listed; the setlist stays as it was."""
    setlist_id = listener("POST", API, {"name": "Strict"}, 201)["id"]
    body = {"song_ids": [three_songs[0], 999_999, 2**40, three_songs[1]]}
    refused = listener("POST", f"{API}{setlist_id}/entries/", body, 400)
    assert refused["unknown_song_ids"] == [999_999, 2**40]
    assert "999999" in refused["errors"]["song_ids"][0]
    assert listener("GET", f"{API}{setlist_id}/entries/")["count"] == 0


def test_songs_go_in_at_a_position(listener, three_songs):
    """One song at the top, two more at position 2, then one at the end."""
    setlist_id = listener("POST", API, {"name": "Placed"}, 201)["id"]
    entries = f"{API}{setlist_id}/entries/"
    listener("POST", entries, {"song_ids": [three_songs[0]]}, 201)
    listener("POST", entries, {"song_id": three_songs[1], "position": 1, "note": "open"}, 201)
    listener("POST", entries, {"song_ids": three_songs[1:], "position": 2}, 201)
    listener("POST", entries, {"song_id": three_songs[2], "position": 99}, 201)
    assert titles(listener, setlist_id) == [
        (1, "Track 00001", "open"),
        (2, "Track 00001", None),
        (3, "Track 00002", None),
        (4, "Track 00000", None),
        (5, "Track 00002", None),
    ]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        ("POST", "", {"name": " "}, 400, "name"),
        ("POST", "", {"name": "x" * 201}, 400, "name"),
        ("POST", "", {"name": 5}, 400, "name"),
        ("POST", "", {"name": "A", "owner_id": 1}, 422, "owner_id"),
        ("POST", "", {"name": "A", "visibility": "public"}, 400, "visibility"),
        ("PUT", "{id}", {"description": "x" * 5001}, 400, "description"),
        ("POST", "{id}/entries/", {"song_ids": []}, 400, "song_ids"),
        ("POST", "{id}/entries/", {"song_ids": ["1"]}, 400, "song_ids"),
        ("POST", "{id}/entries/", {"song_id": True}, 400, "song_id"),
        ("POST", "{id}/entries/", {"song_ids": [1], "song_id": 1}, 400, "song_ids"),
        ("POST", "{id}/entries/", {"song_ids": [1] * 10_001}, 400, "song_ids"),
        ("POST", "{id}/entries/", {"song_id": 1, "position": 0}, 400, "position"),
        ("POST", "{id}/entries/", {"song_ids": [1] * 101, "position": 1}, 400, "position"),
        ("POST", "{id}/entries/", {"song_id": 1, "note": "n" * 101}, 400, "note"),
        ("POST", "{id}/entries/{entry}/move", {"to": "sideways"}, 400, "to"),
        ("POST", "{id}/entries/{entry}/move", {"to": 0}, 400, "to"),
        ("POST", "{id}/entries/{entry}/move", {"to": True}, 400, "to"),
        ("POST", "{id}/entries/999999/move", {"to": "up"}, 404, "entry"),
        ("PUT", "{id}/entries/{entry}", {}, 400, "note"),
        ("PUT", "{id}/entries/{entry}", {"note": ["x"]}, 400, "note"),
    ],
)
def test_refusals_name_the_field(listener, three_songs, method, path, body, status, field):
    """Every refusal is JSON naming what is wrong, and changes nothing."""
    setlist_id = listener("POST", API, {"name": "Kept"}, 201)["id"]
    entry = listener("POST", f"{API}{setlist_id}/entries/", {"song_id": three_songs[0]}, 201)
    url = API + path.format(id=setlist_id, entry=entry["ids"][0])
    refused = listener(method, url, body, status)
    assert field in refused["errors"], refused
    assert refused["message"]
    shown = listener("GET", f"{API}{setlist_id}")["result"]
    assert (shown["name"], shown["description"], shown["entry_count"]) == ("Kept", None, 1)


@pytest.mark.parametrize("url", ["abc", "0", "-1", "99999999999999999999", "1.5"])
def test_odd_ids_are_404s(listener, url):
    """Ids no setlist can have: JSON 404s, never a server error."""
    for method in ("GET", "PUT", "DELETE"):
        listener(method, API + url, {"name": "x"} if method == "PUT" else None, 404)
    listener("GET", f"{API}{url}/entries/", status=404)


def test_bad_list_arguments_are_400s(listener):
    """Oversized pages, unknown arguments and broken rison: 400 with a message."""
    for query in ("(page_size:101)", "(page:-1)", "(colour:red)", "(mine:5)", "((("):
        listener("GET", f"{API}?q={query}", status=400)


def test_spanish_refusals(app, users, login_as):
    """A Spanish speaker's refusal comes in Spanish (the rules' texts translated)."""
    spanish = login_as("Listener")
    spanish.get("/lang/es")
    answer = spanish.api("POST", API, json={"name": ""})
    assert answer.status_code == 400
    assert answer.json["errors"]["name"][0] != "Give the setlist a name."


def test_a_move_costs_the_same_at_any_length(app, listener):
    """Moving one entry by the API runs the same statements at 25 and 5,000 entries."""
    costs = {}
    with app.app_context():
        song_ids = make_songs(5000)
    for length in (25, 5000):
        setlist_id = listener("POST", API, {"name": f"Long {length}"}, 201)["id"]
        with app.app_context():
            fill(db.session.get(Setlist, setlist_id), song_ids[:length])
            ids = order(setlist_id)
        url = f"{API}{setlist_id}/entries/{{}}/move"
        listener("POST", url.format(ids[0]), {"to": "bottom"})  # warm: tokens, roles, caches
        with app.app_context(), counted() as run:
            listener("POST", url.format(ids[-1]), {"to": 2})
        with app.app_context():
            assert order(setlist_id)[:3] == [ids[1], ids[-1], ids[2]]
        costs[length] = len(run)
    assert costs[25] == costs[5000], costs
    assert costs[25] <= 14, costs


def test_ten_thousand_songs_go_in_with_one_request(app, listener):
    """A bulk add of the setlist's limit: a few statements, all in order; one more refused."""
    with app.app_context():
        song_ids = make_songs(10_000)
    setlist_id = listener("POST", API, {"name": "A week of radio"}, 201)["id"]
    with app.app_context(), counted() as run:
        added = listener("POST", f"{API}{setlist_id}/entries/", {"song_ids": song_ids}, 201)
    assert added["count"] == 10_000
    assert len(run) <= 20, len(run)
    last = listener("GET", f"{API}{setlist_id}/entries/?q=(page:99,page_size:100)")
    assert last["result"][-1]["position"] == 10_000
    assert last["result"][-1]["song_id"] == song_ids[-1]
    refused = listener("POST", f"{API}{setlist_id}/entries/", {"song_id": song_ids[0]}, 400)
    assert "10000" in refused["errors"]["song_id"][0]
