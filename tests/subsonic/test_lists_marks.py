"""Stars, ratings, plays and "now playing" through Subsonic: kept by the listening domain
the web reads too, in XML and JSON, with odd arguments answered as Subsonic errors."""

import time

import pytest

from app.extensions import db
from app.listening import plays
from tests.subsonic.lists_building import album_and_artist, key_of, songs, user_id
from tests.subsonic.test_lists_playlists import error_code
from tests.subsonic.test_system_methods import check_envelope, one, typed


def starred_ids(answer: dict, kind: str, element: str = "starred2") -> list[str]:
    """The ids of one kind in a getStarred(2) answer, in order (either format)."""
    found = one(answer[element]).get(kind, [])
    return [row["id"] for row in (found if isinstance(found, list) else [found])]


@pytest.mark.parametrize("f", ["json", "xml"])
def test_star_rate_and_list_favourites(app, subsonic, app_password, f):
    """A Listener stars a song, its album and artist in one call, another song later, rates
    one; getStarred2 lists them newest first with their star and rating; a rating of 0 and
    unstar take them back; getStarred shows albums as directories."""
    key = app_password("Listener")
    first, second = songs(app, 2)
    album, artist = album_and_artist(app, first)
    starred = subsonic.call("star", f=f, apiKey=key, id=first, albumId=album, artistId=artist)
    check_envelope(starred, f)
    time.sleep(0.01)
    subsonic.call("star", f=f, apiKey=key, id=second)
    check_envelope(subsonic.call("setRating", f=f, apiKey=key, id=first, rating="4"), f)
    answer = subsonic.call("getStarred2", f=f, apiKey=key)
    check_envelope(answer, f)
    assert starred_ids(answer, "song") == [second, first]
    assert starred_ids(answer, "album") == [album]
    assert starred_ids(answer, "artist") == [artist]
    rated = one(answer["starred2"])["song"][1]
    assert typed(rated["userRating"], f, int) == 4
    assert rated["starred"].endswith("Z")
    folders = subsonic.call("getStarred", f=f, apiKey=key)
    assert typed(one(one(folders["starred"])["album"])["isDir"], f, bool) is True
    subsonic.call("setRating", f=f, apiKey=key, id=first, rating="0")
    subsonic.call("unstar", f=f, apiKey=key, id=second, albumId=album)
    answer = subsonic.call("getStarred2", f=f, apiKey=key)
    assert starred_ids(answer, "song") == [first]
    assert starred_ids(answer, "album") == []
    assert "userRating" not in one(answer["starred2"])["song"][0]


@pytest.mark.parametrize(
    ("method", "params", "code"),
    [
        ("star", {"id": "x"}, 70),
        ("star", {"id": ["SONG", "tr-99999999"]}, 70),
        ("star", {"albumId": "SONG"}, 70),
        ("unstar", {"artistId": "al-1"}, 70),
        ("setRating", {"id": "SONG"}, 10),
        ("setRating", {"rating": "3"}, 10),
        ("setRating", {"id": "SONG", "rating": "6"}, 0),
        ("setRating", {"id": "SONG", "rating": "three"}, 0),
        ("setRating", {"id": "ar-99999999", "rating": "3"}, 70),
        ("scrobble", {}, 10),
        ("scrobble", {"id": "SONG", "time": "yesterday"}, 0),
        ("scrobble", {"id": "SONG", "time": "12"}, 0),
        ("scrobble", {"id": "SONG", "time": "\u00b2"}, 0),
        ("scrobble", {"id": ["SONG", "SONG"], "time": "1700000000000"}, 0),
        ("scrobble", {"id": ["SONG", "tr-99999999"]}, 70),
        ("scrobble", {"id": "tr-" + "9" * 18, "submission": "false"}, 70),
        ("star", {"artistId": "ar-" + "9" * 18}, 70),
        ("setRating", {"id": "al-" + "9" * 18, "rating": "1"}, 70),
    ],
)
def test_odd_arguments_change_nothing(app, subsonic, app_password, users, method, params, code):
    """Malformed, unknown, missing and out-of-range arguments: the Subsonic error, in both
    formats, and nothing starred, rated or played (all or nothing)."""
    (song,) = songs(app, 1)
    key = app_password("Listener")
    params = {
        name: [song if v == "SONG" else v for v in value] if isinstance(value, list)
        else (song if value == "SONG" else value)
        for name, value in params.items()
    }  # fmt: skip
    for f in ("json", "xml"):
        assert subsonic.raw(method, f=f, apiKey=key, **params).status_code == 200
        assert error_code(subsonic.call(method, f=f, apiKey=key, **params), f) == code
    assert starred_ids(subsonic.call("getStarred2", apiKey=key), "song") == []
    with app.app_context():
        assert plays.most_played(db.session, user_id(app, users["Listener"])) == []


def test_scrobbles_count_plays_the_web_lists(app, subsonic, app_password, users):
    """Two submitted scrobbles of a song (one with its time) and one of another: "Most
    played" (the web list's domain query) counts 2 and 1, last played at the time sent;
    a now-playing report counts no play."""
    key = app_password("Listener")
    first, second = songs(app, 2)
    subsonic.call("scrobble", apiKey=key, id=first, submission="true")
    subsonic.call("scrobble", apiKey=key, id=[first, second], time=["1700000000000"] * 2)
    subsonic.call("scrobble", apiKey=key, id=second, submission="false")
    with app.app_context():
        ranked = plays.most_played(db.session, user_id(app, users["Listener"]))
        counts = [(f"tr-{song.id}", play.play_count) for song, play in ranked]
        assert counts == [(first, 2), (second, 1)]
        assert plays.as_utc(ranked[1][1].last_played_at).timestamp() == 1_700_000_000


def test_now_playing_is_each_users_own(app, subsonic, app_password, users, own_account):
    """A scrobble without submission shows in getNowPlaying for that user (song, username,
    minutes, client), replaced by the next from the same client; another Listener sees
    nothing of it; an admin sees it."""
    key = app_password("Listener")
    first, second = songs(app, 2)
    subsonic.call("scrobble", apiKey=key, id=first, submission="false", c="DSub")
    subsonic.call("scrobble", apiKey=key, id=second, submission="false", c="DSub")
    for f in ("json", "xml"):
        answer = subsonic.call("getNowPlaying", f=f, apiKey=key)
        check_envelope(answer, f)
        entry = one(one(answer["nowPlaying"])["entry"])
        assert (entry["id"], entry["username"]) == (second, users["Listener"])
        assert typed(entry["minutesAgo"], f, int) == 0
        assert typed(entry["playerId"], f, int) == 1
        assert entry["playerName"] == "DSub"
    other = subsonic.call("getNowPlaying", apiKey=key_of(app, own_account))
    assert one(other["nowPlaying"]).get("entry", []) == []
    admin = subsonic.call("getNowPlaying", apiKey=app_password("Admin"))
    assert [entry["id"] for entry in one(admin["nowPlaying"])["entry"]] == [second]


@pytest.mark.parametrize("f", ["json", "xml"])
def test_play_queue_saved_and_resumed(app, subsonic, app_password, users, f):
    """No queue yet: an empty ok. savePlayQueue keeps the songs, the current one and the
    position; getPlayQueue gives them back with the client that saved them, and the web
    player's queue (the same rows) resumes at that song. Odd arguments are errors."""
    from app.listening import queue

    key = app_password("Listener")
    ids = songs(app, 3)
    assert "playQueue" not in subsonic.call("getPlayQueue", f=f, apiKey=key)
    saved = subsonic.call(
        "savePlayQueue", f=f, post=True, apiKey=key, id=ids, current=ids[1], position="61000",
        c="Symfonium",
    )  # fmt: skip
    check_envelope(saved, f)
    found = one(subsonic.call("getPlayQueue", f=f, apiKey=key)["playQueue"])
    assert found["current"] == ids[1]
    assert typed(found["position"], f, int) == 61000
    assert (found["username"], found["changedBy"]) == (users["Listener"], "Symfonium")
    assert found["changed"].endswith("Z")
    assert [entry["id"] for entry in found["entry"]] == ids
    with app.app_context():
        kept = queue.load(db.session, user_id(app, users["Listener"]))
        assert (kept.current, kept.position_ms) == (1, 61000)
    for odd, code in (
        ({"id": ids, "current": ids[0] + "0"}, 0),
        ({"id": ids, "position": "-5"}, 0),
        ({"id": "al-1"}, 70),
        ({"id": "tr-" + "9" * 18}, 70),  # past an INTEGER: no id at all
    ):
        assert subsonic.raw("savePlayQueue", f=f, apiKey=key, **odd).status_code == 200
        assert error_code(subsonic.call("savePlayQueue", f=f, apiKey=key, **odd), f) == code
    assert one(subsonic.call("getPlayQueue", f=f, apiKey=key)["playQueue"])["current"] == ids[1]
