"""The listener's hearts and stars on the album and author lists and the home page's song
rows: as the user left them, one lookup per page whatever its rows."""

import re

import pytest

from app.extensions import db
from app.listening import marks
from app.models import Album, Author, Song
from tests.setlists.building import counted


@pytest.fixture
def starred_catalog(app, users) -> dict[str, list[int]]:
    """30 authors with one album of one song each; the Listener starred the even ones of each
    kind and rated album 1 with 4 stars."""
    with app.app_context():
        lisa = app.appbuilder.sm.find_user(username=users["Listener"]).id
        songs = [
            Song(
                title=f"Tune {n:02d}",
                album=Album(title=f"Record {n:02d}", author=Author(name=f"Band {n:02d}")),
                audio_file=f"{n}.ogg",
                original_filename=f"{n}.ogg",
                rating=5,
            )
            for n in range(30)
        ]
        db.session.add_all(songs)
        db.session.flush()
        ids = {
            "song": [song.id for song in songs],
            "album": [song.album_id for song in songs],
            "author": [song.album.author_id for song in songs],
        }
        for kind, kind_ids in ids.items():
            for item_id in kind_ids[::2]:
                marks.star(db.session, lisa, kind, item_id)
        marks.rate(db.session, lisa, "album", ids["album"][1], 4)
        db.session.commit()
        return ids


def shown(page: str, kind: str) -> dict[int, tuple[str, str]]:
    """Row id -> (starred, rating) as the page shows the user's marks of that kind."""
    found = re.findall(
        rf'data-mine-kind="{kind}" data-mine-id="(\d+)" data-mine-name="[^"]*" '
        r'data-starred="(true|false)" data-rating="(\d)"',
        page,
    )
    return {int(row_id): (starred, rating) for row_id, starred, rating in found}


@pytest.mark.parametrize(
    ("kind", "view", "url"),
    [("album", "AlbumModelView", "/albums/list/"), ("author", "AuthorModelView", "/authors/list/")],
)
def test_album_and_author_lists_show_my_hearts_in_one_lookup(
    app, login_as, starred_catalog, kind, view, url
):
    """Each row has the user's heart and stars; 5 rows cost what 25 do, marks in one query;
    another user sees none of them starred."""
    lisa = login_as("Listener")
    with app.app_context():
        engine = db.engine
    spent = {}
    for size in (5, 25):
        address = f"{url}?psize_{view}={size}&_oc_{view}={'title' if kind == 'album' else 'name'}"
        lisa.get(address)
        with counted(engine) as statements:
            page = lisa.get(address).get_data(as_text=True)
        rows = shown(page, kind)
        assert len(rows) == size
        assert sum(f"FROM {kind}_mark" in statement for statement in statements) == 1
        spent[size] = len(statements)
    assert spent[5] == spent[25]
    ids = starred_catalog[kind]
    assert rows[ids[0]] == ("true", "0")
    assert rows[ids[3]] == ("false", "0")
    if kind == "album":
        assert rows[ids[1]] == ("false", "4")
    other = shown(login_as("Editor").get(url).get_data(as_text=True), kind)
    assert len(other) == 25
    assert {starred for starred, _r in other.values()} == {"false"}


def test_home_song_rows_show_my_hearts_in_one_lookup(app, login_as, starred_catalog):
    """Recently added and Top rated rows carry the user's hearts, looked up once for the page."""
    lisa = login_as("Listener")
    with app.app_context():
        engine = db.engine
    lisa.get("/")
    with counted(engine) as statements:
        home = lisa.get("/").get_data(as_text=True)
    assert sum("FROM song_mark" in statement for statement in statements) == 1
    newest = home.split("Recently added", 1)[1].split("</section>", 1)[0]
    rows = shown(newest, "song")
    assert len(rows) >= 5
    starred = set(starred_catalog["song"][::2])
    assert {song_id for song_id, (star, _r) in rows.items() if star == "true"} == (
        starred & set(rows)
    )
    assert shown(login_as("Editor").get("/").get_data(as_text=True), "song")
