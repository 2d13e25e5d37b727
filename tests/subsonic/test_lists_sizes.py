"""A long playlist: getPlaylist answers every entry of a 5,000-song setlist in a few
statements (the page's songs and their marks in bulk, never a query per entry), and
getPlaylists reads each setlist's size from its row."""

import time

from app.extensions import db
from app.models import Setlist
from tests.setlists.building import counted, fill, make_songs
from tests.subsonic.lists_building import listed, setlist
from tests.subsonic.test_system_methods import one

LONG = 5000


def test_a_5000_song_playlist_in_few_statements(app, subsonic, app_password, users):
    """All 5,000 entries, in order, starred where the Listener starred (past the first
    500 too); at most a dozen statements; the time is printed for the report."""
    key = app_password("Listener")
    playlist_id = setlist(app, users["Listener"], "Marathon")
    with app.app_context():
        numbers = make_songs(LONG)
        fill(db.session.get(Setlist, int(playlist_id)), numbers)
    last = f"tr-{numbers[-1]}"
    assert subsonic.call("star", apiKey=key, id=last)["status"] == "ok"
    with app.app_context():
        engine = db.engine
    with counted(engine) as statements:
        started = time.perf_counter()
        answer = subsonic.call("getPlaylist", apiKey=key, id=playlist_id)
        elapsed = time.perf_counter() - started
    print(f"getPlaylist of {LONG} entries: {elapsed * 1000:.0f} ms, {len(statements)} statements")
    found = answer["playlist"]
    assert found["songCount"] == LONG
    assert [entry["id"] for entry in found["entry"]] == [f"tr-{n}" for n in numbers]
    assert "starred" in found["entry"][-1]
    assert "starred" not in found["entry"][0]
    assert len(statements) <= 12 + LONG // 500
    listing = one(listed(subsonic.call("getPlaylists", apiKey=key)))
    assert listing["songCount"] == LONG
    assert listing["duration"] == 60 * LONG


def test_replacing_and_removing_in_a_long_playlist(app, subsonic, app_password, users):
    """Replacing a 5,000-song playlist by 900 songs (a reorder) and removing 450 songs by
    their places each cost a few dozen statements, not one per entry; the totals follow."""
    key = app_password("Listener")
    playlist_id = setlist(app, users["Listener"], "Marathon")
    with app.app_context():
        numbers = make_songs(LONG)
        fill(db.session.get(Setlist, int(playlist_id)), numbers)
        engine = db.engine
    wanted = [f"tr-{n}" for n in reversed(numbers[:900])]
    with counted(engine) as statements:
        started = time.perf_counter()
        replaced = subsonic.call(
            "createPlaylist", post=True, apiKey=key, playlistId=playlist_id, songId=wanted
        )
        elapsed = time.perf_counter() - started
    print(f"replace {LONG} by 900: {elapsed * 1000:.0f} ms, {len(statements)} statements")
    assert [entry["id"] for entry in replaced["playlist"]["entry"]] == wanted
    assert len(statements) <= 40
    places = [str(place) for place in range(0, 900, 2)]
    with counted(engine) as statements:
        started = time.perf_counter()
        removed = subsonic.call(
            "updatePlaylist", post=True, apiKey=key, playlistId=playlist_id,
            songIndexToRemove=places,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
    print(f"remove 450 by index: {elapsed * 1000:.0f} ms, {len(statements)} statements")
    assert removed["status"] == "ok"
    assert len(statements) <= 30
    read = subsonic.call("getPlaylist", apiKey=key, id=playlist_id)["playlist"]
    assert [entry["id"] for entry in read["entry"]] == wanted[1::2]
    assert (read["songCount"], read["duration"]) == (450, 60 * 450)
