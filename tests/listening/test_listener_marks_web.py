"""The web door to each listener's own data: /api/v1/mine/..., the hearts and stars on pages."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Album, Author, Song, SongPlay
from tests.setlists.building import counted

MINE = "/api/v1/mine"


@pytest.fixture
def songs(app) -> list[int]:
    """Thirty songs of 3 minutes on one album (more than a list page); their ids by title."""
    with app.app_context():
        album = Album(title="Thirty", author=Author(name="Many"))
        rows = [
            Song(
                title=f"Song {n:02d}",
                album=album,
                audio_file=f"{n}.ogg",
                original_filename=f"{n}.ogg",
                duration=180.0,
            )
            for n in range(30)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


MARK = re.compile(
    r'data-mine-kind="song" data-mine-id="(\d+)" data-mine-name="[^"]*" '
    r'data-starred="(true|false)" data-rating="(\d)"'
)


def hearts(page: str) -> dict[int, bool]:
    """Song id -> whether the page shows it starred."""
    return {int(song_id): starred == "true" for song_id, starred, _r in MARK.findall(page)}


def my_rating(page: str, song_id: int) -> int:
    """The user's own rating of a song as the page shows it."""
    return {int(found): int(rating) for found, _s, rating in MARK.findall(page)}[song_id]


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("PUT", f"{MINE}/song/1/star", {"starred": True}),
        ("PUT", f"{MINE}/song/1/rating", {"rating": 3}),
        ("POST", f"{MINE}/plays", {"song": 1, "heard_ms": 300_000}),
    ],
)
def test_visitors_get_401_and_a_write_needs_the_pages_token(login_as, method, url, body):
    """Anonymous: 401 in JSON. Signed in without the page's CSRF token: 400, nothing kept."""
    visitor = login_as(None)
    assert visitor.api(method, url, json=body).status_code == 401
    refused = login_as("Listener").api(method, url, json=body, csrf=False)
    assert refused.status_code == 400
    assert "X-CSRFToken" in refused.json["message"]


def test_anonymous_visitors_see_songs_but_no_hearts(standalone_app, visit):
    """With public browsing on, visitors see the songs, albums, authors and the home page's
    songs, and no heart or stars of anyone's."""
    public = standalone_app(CATALOG_PUBLIC_BROWSE=True)
    with public.app_context():
        album = Album(title="Open", author=Author(name="Door"))
        db.session.add(Song(title="Heard", album=album, audio_file="h.ogg", original_filename="h"))
        db.session.commit()
        song_id = db.session.scalar(select(Song.id))
    visitor = visit(public)
    shown = {
        "/songs/list/": "Heard",
        "/albums/list/": "Open",
        "/authors/list/": "Door",
        "/": "Heard",
    }
    for url, name in {**shown, f"/songs/show/{song_id}": "Heard"}.items():
        page = visitor.get(url)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert name in text
        assert 'class="mine"' not in text
        assert "Yours" not in text  # no empty column or row either


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (f"{MINE}/song/{{id}}/star", {"starred": "yes"}, "starred"),
        (f"{MINE}/song/{{id}}/star", {}, "starred"),
        (f"{MINE}/song/{{id}}/rating", {"rating": 6}, "rating"),
        (f"{MINE}/song/{{id}}/rating", {"rating": "5"}, "rating"),
        (f"{MINE}/playlist/{{id}}/rating", {"rating": 5}, "kind"),
        (f"{MINE}/plays", {"song": "{id}", "heard_ms": -5}, "heard_ms"),
        (f"{MINE}/plays", {"song": "{id}", "heard_ms": 10**12}, "heard_ms"),
    ],
)
def test_bad_input_gets_a_clear_400(login_as, songs, url, body, field):
    """Each wrong value names its field; nothing is kept."""
    listener = login_as("Listener")
    body = {key: songs[0] if value == "{id}" else value for key, value in body.items()}
    answer = listener.api(
        "PUT" if "plays" not in url else "POST", url.format(id=songs[0]), json=body
    )
    assert answer.status_code == 400, answer.json
    assert field in answer.json["errors"]


def test_missing_rows_are_404(login_as):
    """A song, album or author that does not exist: 404 with a message."""
    listener = login_as("Listener")
    for kind in ("song", "album", "author"):
        answer = listener.api("PUT", f"{MINE}/{kind}/999999/star", json={"starred": True})
        assert answer.status_code == 404
        assert answer.json["message"]
    answer = listener.api("POST", f"{MINE}/plays", json={"song": 999999, "heard_ms": 1})
    assert answer.status_code == 404


def test_a_listeners_journey(app, login_as, songs):
    """Star, rate, play past the threshold, see it on the list and the record pages; another
    user sees none of it; unstar; page 2 of the list shows its own hearts."""
    lisa, eddie = login_as("Listener"), login_as("Editor")
    first, second = songs[0], songs[1]
    assert lisa.api("PUT", f"{MINE}/song/{first}/star", json={"starred": True}).json == {
        "kind": "song",
        "id": first,
        "starred": True,
    }
    assert lisa.api("PUT", f"{MINE}/song/{second}/rating", json={"rating": 4}).status_code == 200
    short = lisa.api("POST", f"{MINE}/plays", json={"song": first, "heard_ms": 60_000})
    assert short.json == {"song": first, "counted": False, "play_count": None}
    played = lisa.api("POST", f"{MINE}/plays", json={"song": first, "heard_ms": 90_000})
    assert played.json["counted"] is True
    assert played.json["play_count"] == 1

    page = lisa.get("/songs/list/").get_data(as_text=True)
    shown = hearts(page)
    assert len(shown) == 25
    assert shown[first] is True
    assert shown[second] is False
    assert my_rating(page, second) == 4
    assert my_rating(page, first) == 0
    song_page = lisa.get(f"/songs/show/{first}").get_data(as_text=True)
    assert hearts(song_page) == {first: True}

    others = eddie.get("/songs/list/").get_data(as_text=True)
    assert not any(hearts(others).values())
    assert my_rating(others, second) == 0

    album_id = album_of(app, first)
    lisa.api("PUT", f"{MINE}/album/{album_id}/star", json={"starred": True})
    album_page = lisa.get(f"/albums/show/{album_id}").get_data(as_text=True)
    assert 'data-mine-kind="album"' in album_page
    assert 'data-starred="true"' in album_page.split('data-mine-kind="album"', 1)[1][:200]

    assert lisa.api("PUT", f"{MINE}/song/{first}/star", json={"starred": False}).status_code == 200
    assert not any(hearts(lisa.get("/songs/list/").get_data(as_text=True)).values())
    lisa.api("PUT", f"{MINE}/song/{songs[29]}/star", json={"starred": True})
    page_two = lisa.get("/songs/list/?page_SongModelView=1").get_data(as_text=True)
    assert hearts(page_two) == {song_id: song_id == songs[29] for song_id in songs[25:]}
    with app.app_context():
        kept = db.session.execute(select(SongPlay.song_id, SongPlay.play_count)).all()
        assert kept == [(first, 1)]


def album_of(app, song_id: int) -> int:
    """The album a song is on."""
    with app.app_context():
        return db.session.get(Song, song_id).album_id


def test_hearts_cost_one_statement_per_page_whatever_the_rows(app, login_as, songs):
    """A page of 25 songs with hearts runs the same statements as one of 5 (no per-row query)."""
    lisa = login_as("Listener")
    for song_id in songs[::2]:
        lisa.api("PUT", f"{MINE}/song/{song_id}/star", json={"starred": True})
    with app.app_context():
        engine = db.engine
    counts = {}
    for size in (5, 25):
        url = f"/songs/list/?psize_SongModelView={size}"
        lisa.get(url)  # warm: permissions, translations
        with counted(engine) as statements:
            page = lisa.get(url).get_data(as_text=True)
        assert len(hearts(page)) == size
        counts[size] = len(statements)
        assert sum("song_mark" in statement for statement in statements) == 1
    assert counts[25] == counts[5]
