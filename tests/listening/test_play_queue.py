"""The play queue's JSON endpoint: each user's own queue, kept as sent within the rules."""

import pytest
from sqlalchemy import delete, event, select

from app.extensions import db
from app.listening import queue as queues
from app.models import Album, Author, PlayQueue, PlayQueueEntry, Song

URL = "/api/v1/playqueue/"


@pytest.fixture
def album(app) -> tuple[int, list[int]]:
    """An album of four songs numbered 2, none, 1, 3 on disc 1 (ids in that order)."""
    with app.app_context():
        album = Album(title="Numbers", author=Author(name="Counter"))
        songs = [
            Song(
                title=f"Song {name}",
                album=album,
                track_number=track,
                audio_file=f"song-{name}.ogg",
                original_filename=f"{name}.ogg",
                duration=3.0,
            )
            for name, track in (("two", 2), ("none", None), ("one", 1), ("three", 3))
        ]
        db.session.add_all(songs)
        db.session.commit()
        return album.id, [song.id for song in songs]


def titles(answer) -> list[str]:
    """The titles of the songs an answer lists, in order."""
    return [song["title"] for song in answer.json["songs"]]


def test_a_saved_queue_comes_back_with_what_the_player_needs(login_as, album):
    """Save, then read back (as another device would): songs described, place, modes."""
    listener = login_as("Listener")
    _album_id, ids = album
    sent = {"songs": ids[:3], "current": 1, "position_ms": 12_500, "shuffle": True, "repeat": "all"}
    saved = listener.api("PUT", URL, json=sent)
    assert saved.status_code == 200, saved.json
    assert saved.json["saved"] is True
    other_device = login_as("Listener")
    answer = other_device.api("GET", URL)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert titles(answer) == ["Song two", "Song none", "Song one"]
    first = answer.json["songs"][0]
    assert first["stream"] == f"/songs/stream/{ids[0]}"
    assert (first["album"], first["author"], first["cover"]) == ("Numbers", "Counter", "")
    assert answer.json["current"] == 1
    assert answer.json["position_ms"] == 12_500
    assert (answer.json["shuffle"], answer.json["repeat"]) == (True, "all")
    assert answer.json["changed_by"] == "Setlist web"


def test_each_user_reads_and_writes_only_their_own_queue(login_as, album):
    """A listener's queue is not the editor's; a new user starts with an empty one."""
    _album_id, ids = album
    assert login_as("Listener").api("PUT", URL, json={"songs": ids}).status_code == 200
    editor = login_as("Editor")
    assert editor.api("GET", URL).json["songs"] == []
    assert editor.api("PUT", URL, json={"songs": ids[:1]}).status_code == 200
    assert titles(login_as("Listener").api("GET", URL)) == [
        "Song two",
        "Song none",
        "Song one",
        "Song three",
    ]
    assert titles(login_as("Admin").api("GET", URL)) == []


def test_the_rules_refuse_a_save_for_someone_else(app, users, album):
    """The domain rule: only the owner saves a queue (the Subsonic door will call it too)."""
    with app.app_context():
        sm = app.appbuilder.sm
        lisa, eddie = (sm.find_user(username=users[role]).id for role in ("Listener", "Editor"))
        with pytest.raises(queues.QueueRefused):
            queues.save(db.session, lisa, eddie, queues.Queue(song_ids=album[1]))
        db.session.rollback()
        assert db.session.get(PlayQueue, lisa) is None


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_visitors_get_401_in_json(browser, method):
    """Anonymous: 401 with a message, nothing saved."""
    answer = browser.api(method, URL, json={"songs": []}, csrf=False)
    assert answer.status_code in (400, 401)  # a PUT without a token stops at CSRF first
    assert "message" in answer.json
    assert browser.api("GET", URL).status_code == 401


def test_a_write_without_the_pages_token_is_refused(login_as, album):
    """The session cookie alone (another site's form, say) saves nothing."""
    listener = login_as("Listener")
    refused = listener.api("PUT", URL, json={"songs": album[1]}, csrf=False)
    assert refused.status_code == 400
    assert "X-CSRFToken" in refused.json["message"]
    assert listener.api("GET", URL).json["songs"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"songs": "1,2"}, "songs"),
        ({"songs": [1, "2"]}, "songs"),
        ({"songs": [1, True]}, "songs"),
        ({"songs": [0]}, "songs"),
        ({"songs": [2**40]}, "songs"),
        ({"songs": [1], "current": -1}, "current"),
        ({"songs": [1], "current": 1.5}, "current"),
        ({"songs": [1], "position_ms": "10"}, "position_ms"),
        ({"songs": [1], "position_ms": 10**12}, "position_ms"),
        ({"songs": [1], "shuffle": "yes"}, "shuffle"),
        ({"songs": [1], "repeat": "twice"}, "repeat"),
        ({"songs": [1], "client": "x" * 101}, "client"),
        ({"songs": [1], "owner": 1}, "owner"),
        ({"current": 0}, "songs"),
        ({"songs": list(range(1, 1002))}, "songs"),
    ],
)
def test_bad_queues_are_refused_with_a_message(login_as, body, field):
    """Each bad value: 400 naming the field, never a 500, nothing saved."""
    listener = login_as("Listener")
    answer = listener.api("PUT", URL, json=body)
    assert answer.status_code == 400, answer.json
    assert field in answer.json["errors"]
    assert listener.api("GET", URL).json["songs"] == []


@pytest.mark.parametrize(
    "payload", [b"", b"not json", b"[1, 2]", b'"text"', b"{", b'{"songs": [1,]}']
)
def test_a_body_that_is_no_json_object_is_a_400(login_as, payload):
    """Not JSON, or JSON that is not an object: 400 with what to send."""
    listener = login_as("Listener")
    token = listener.api("GET", "/").get_data(as_text=True)
    headers = {"X-CSRFToken": token.split('name="csrf-token" content="')[1].split('"')[0]}
    answer = listener.client.put(
        URL, data=payload, headers=headers, content_type="application/json"
    )
    assert answer.status_code == 400
    assert "JSON object" in answer.json["message"]


def test_an_oversized_body_is_refused(login_as):
    """More than a full queue could need: 413 in JSON, nothing saved."""
    listener = login_as("Listener")
    answer = listener.api("PUT", URL, json={"songs": [1] * 40_000})
    assert answer.status_code == 413
    assert "message" in answer.json
    assert listener.api("GET", URL).json["songs"] == []


def test_the_queue_keeps_only_songs_that_exist_and_a_place_inside_it(login_as, album):
    """Unknown ids are left out, the place moves with them and stays within the queue."""
    listener = login_as("Listener")
    _album_id, ids = album
    missing = max(ids) + 100
    saved = listener.api("PUT", URL, json={"songs": [missing, ids[0], ids[1]], "current": 2})
    assert saved.json["songs"] == [ids[0], ids[1]]
    assert saved.json["current"] == 1
    assert titles(listener.api("GET", URL)) == ["Song two", "Song none"]
    beyond = listener.api("PUT", URL, json={"songs": ids[:2], "current": 7, "position_ms": 5})
    assert beyond.json["current"] == 1


def test_deleted_songs_vanish_from_the_queue(app, login_as, album):
    """Deleting songs (the playing one too) closes the queue up; the next one plays from 0."""
    listener = login_as("Listener")
    _album_id, ids = album
    listener.api("PUT", URL, json={"songs": ids, "current": 2, "position_ms": 9000})
    with app.app_context():
        db.session.execute(delete(Song).where(Song.id.in_([ids[0], ids[2]])))
        db.session.commit()
    answer = listener.api("GET", URL)
    assert titles(answer) == ["Song none", "Song three"]
    assert (answer.json["current"], answer.json["position_ms"]) == (1, 0)
    # The same songs with another place: kept right despite the gaps the deletes left.
    body = {"songs": [ids[1], ids[3]], "current": 0, "position_ms": 500}
    assert listener.api("PUT", URL, json=body).json["saved"] is True
    answer = listener.api("GET", URL)
    assert (answer.json["current"], answer.json["position_ms"]) == (0, 500)
    assert listener.api("PUT", URL, json=body).json["saved"] is False


def test_saving_the_same_queue_again_writes_nothing(app, login_as, album):
    """A player that saves on a timer while paused costs reads, not writes."""
    listener = login_as("Listener")
    body = {"songs": album[1], "current": 1, "position_ms": 4000}
    assert listener.api("PUT", URL, json=body).json["saved"] is True
    writes = []

    def record(_connection, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        again = listener.api("PUT", URL, json=body)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert again.status_code == 200
    assert again.json["saved"] is False
    assert [w for w in writes if "play_queue" in w] == []
    moved = listener.api("PUT", URL, json={**body, "position_ms": 19000})
    assert moved.json["saved"] is True
    assert moved.json["position_ms"] == 19000


def test_a_user_deleted_takes_their_queue_along(app, own_account, login_as, album):
    """No queue row outlives its user."""
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=own_account)
        queues.save(db.session, user.id, user.id, queues.Queue(song_ids=album[1]))
        db.session.commit()
        db.session.delete(user)
        db.session.commit()
        assert db.session.scalars(select(PlayQueueEntry)).all() == []
        assert db.session.scalars(select(PlayQueue)).all() == []


def test_an_album_is_paged_in_running_order(login_as, album):
    """Numbered tracks first, the unnumbered last; paging with offset and limit."""
    listener = login_as("Listener")
    album_id, _ids = album
    first = listener.api("GET", f"{URL}albums/{album_id}?limit=2")
    assert titles(first) == ["Song one", "Song two"]
    assert first.json["more"] is True
    # What the queue needs to play the whole album: its title, its length, each track's place.
    assert (first.json["title"], first.json["total"], first.json["offset"]) == ("Numbers", 4, 0)
    rest = listener.api("GET", f"{URL}albums/{album_id}?offset=2&limit=2")
    assert titles(rest) == ["Song three", "Song none"]
    assert rest.json["more"] is False
    assert [song["at"] for song in rest.json["songs"]] == [2, 3]
    assert listener.api("GET", f"{URL}albums/{album_id + 99}").status_code == 404
    assert listener.api("GET", f"{URL}albums/{2**40}").status_code == 404
    for bad in ("limit=0", "limit=201", "offset=-1", "offset=x", "limit=1.5"):
        answer = listener.api("GET", f"{URL}albums/{album_id}?{bad}")
        assert answer.status_code == 400, bad
        assert "message" in answer.json


def test_visitors_may_not_page_an_album(browser, album):
    """The album's tracks are for those who may play songs: a visitor gets a 401 in JSON."""
    answer = browser.api("GET", f"{URL}albums/{album[0]}")
    assert answer.status_code == 401
    assert answer.json["message"] == "Log in to play songs."
