"""My music's lists (My favourites, Recently and Most played): the catalog's lists narrowed to
the listener's own rows — filters, pages, CSV export, hearts on every row, no one else's."""

import csv
import io
import re

import pytest

from app.extensions import db
from app.listening import marks, plays
from app.models import Album, Author, Song
from tests.setlists.building import counted

HOSTILE = '=HYPERLINK("http://evil.example/","Mine x")'
SONGS = "/my/favourites/song/list/"


@pytest.fixture
def lisa_and_songs(app, users) -> tuple[int, list[int]]:
    """The Listener's id and 30 songs she starred (song 0 first) and played (song n, n % 3 + 1
    times), plus a song with a hostile title that nobody starred or played yet."""
    with app.app_context():
        lisa = app.appbuilder.sm.find_user(username=users["Listener"]).id
        album = Album(title="Mine", author=Author(name="Owner"))
        rows = [
            Song(title=title, album=album, audio_file=f"{n}.ogg", original_filename="a.ogg")
            for n, title in enumerate([*(f"Mine {n:02d}" for n in range(30)), HOSTILE])
        ]
        db.session.add_all(rows)
        db.session.flush()
        for n, row in enumerate(rows[:30]):
            marks.star(db.session, lisa, "song", row.id)
            db.session.flush()
            for _time in range(n % 3 + 1):
                plays.record_play(db.session, lisa, row.id)
        db.session.commit()
        return lisa, [row.id for row in rows]


def titles(page: str) -> list[str]:
    """The song titles a list page shows, in order."""
    return re.findall(r">(Mine \d\d)</a>", page)


def text(response) -> str:
    """A response's text (the page or file), after checking it answered 200."""
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def csv_rows(response) -> list[list[str]]:
    """An exported file's rows, header first."""
    return list(csv.reader(io.StringIO(text(response).removeprefix("\ufeff"))))


def test_favourite_songs_filtered_paged_exported_and_unstarred(login_as, lisa_and_songs):
    """Star, filter, page 2, export (a hostile title neutralised), unstar: the list follows."""
    lisa = login_as("Listener")
    _lisa_id, ids = lisa_and_songs
    assert lisa.get("/my/favourites/song/").headers["Location"].endswith(SONGS)
    first = text(lisa.get(SONGS))
    assert titles(first)[:2] == ["Mine 29", "Mine 28"]
    assert len(titles(first)) == 25
    assert first.count('data-mine-kind="song"') == 25  # every row: heart and stars
    second = text(lisa.get(SONGS + "?page_MyFavouriteSongsView=1"))
    assert titles(second) == [f"Mine {n:02d}" for n in range(4, -1, -1)]
    filtered = text(lisa.get(SONGS + "?_flt_0_title=mine 1"))  # contains, folded
    assert titles(filtered) == [f"Mine {n}" for n in range(19, 9, -1)]
    by_title = text(
        lisa.get(SONGS + "?_oc_MyFavouriteSongsView=title&_od_MyFavouriteSongsView=asc")
    )
    assert titles(by_title)[:2] == ["Mine 00", "Mine 01"]
    lisa.api("PUT", f"/api/v1/mine/song/{ids[30]}/rating", json={"rating": 4})
    assert len(csv_rows(lisa.get("/my/favourites/song/export.csv?_flt_0_title=x"))) == 1
    lisa.api("PUT", f"/api/v1/mine/song/{ids[30]}/star", json={"starred": True})
    exported = csv_rows(lisa.get("/my/favourites/song/export.csv?_flt_0_title=x"))
    assert exported[0][:2] == ["Song ID", "Title"]
    assert exported[0][-2:] == [
        "Starred",
        "Your rating",
    ]
    assert [row[1] for row in exported[1:]] == ["'" + HOSTILE]
    assert exported[1][-1] == "4"
    assert exported[1][-2].startswith("20")
    everything = csv_rows(lisa.get("/my/favourites/song/export.csv"))
    assert len(everything) == 32
    assert everything[1][1] == "'" + HOSTILE
    lisa.api("PUT", f"/api/v1/mine/song/{ids[29]}/star", json={"starred": False})
    assert titles(text(lisa.get(SONGS)))[0] == "Mine 28"
    assert len(csv_rows(lisa.get("/my/favourites/song/export.csv"))) == 31


def test_favourite_albums_and_authors(app, login_as, lisa_and_songs):
    """Starred albums and authors list with their hearts; filters and export work there too."""
    lisa = login_as("Listener")
    with app.app_context():
        album = db.session.query(Album).filter_by(title="Mine").one()
        album_id, author_id = album.id, album.author_id
        other = Album(title="Other", author=Author(name="Someone"))
        db.session.add(other)
        db.session.commit()
    assert ">Mine</a>" not in text(lisa.get("/my/favourites/album/list/"))
    lisa.api("PUT", f"/api/v1/mine/album/{album_id}/star", json={"starred": True})
    lisa.api("PUT", f"/api/v1/mine/author/{author_id}/star", json={"starred": True})
    albums = text(lisa.get("/my/favourites/album/list/"))
    assert ">Mine</a>" in albums
    assert ">Other</a>" not in albums
    assert f'data-mine-kind="album" data-mine-id="{album_id}"' in albums
    assert ">Mine</a>" not in text(lisa.get("/my/favourites/album/list/?_flt_0_title=oth"))
    authors = text(lisa.get("/my/favourites/author/list/"))
    assert ">Owner</a>" in authors
    assert ">Someone</a>" not in authors
    rows = csv_rows(lisa.get("/my/favourites/author/export.csv"))
    assert [row[1] for row in rows[1:]] == ["Owner"]


def test_recently_and_most_played(login_as, lisa_and_songs):
    """Most played: three plays first; recently played: the last played first; both export."""
    lisa = login_as("Listener")
    most = text(lisa.get("/my/most/list/"))
    assert titles(most)[:2] == ["Mine 29", "Mine 26"]
    assert most.count('data-mine-kind="song"') == 25
    recent = text(lisa.get("/my/recent/list/"))
    assert titles(recent)[0] == "Mine 29"
    assert len(titles(text(lisa.get("/my/recent/list/?page_RecentlyPlayedView=1")))) == 5
    rows = csv_rows(lisa.get("/my/most/export.csv?_flt_0_title=mine 2"))
    assert rows[0][-2:] == ["Plays", "Last played"]
    assert [(row[1], row[-2]) for row in rows[1:4]] == [
        ("Mine 29", "3"),
        ("Mine 26", "3"),
        ("Mine 23", "3"),
    ]
    assert len(rows) == 11


def test_only_ones_own_and_only_when_signed_in(login_as, lisa_and_songs):
    """Another user's lists and exports are empty; visitors go to the login page; the lists
    have no record, edit or delete routes of their own."""
    editor = login_as("Editor")
    visitor = login_as(None)
    for base in ("/my/favourites/song/", "/my/recent/", "/my/most/", "/my/favourites/album/"):
        assert titles(text(editor.get(base + "list/"))) == []
        assert len(csv_rows(editor.get(base + "export.csv"))) == 1  # the header only
        for page in ("", "list/", "export.csv"):
            assert "/login/" in visitor.get(base + page).headers["Location"]
    lisa = login_as("Listener")
    song_id = lisa_and_songs[1][0]
    for route in (f"show/{song_id}", "add", f"edit/{song_id}", f"delete/{song_id}"):
        assert lisa.get(f"/my/favourites/song/{route}").status_code == 404
    menu = text(lisa.get("/"))
    assert "/my/favourites/song/list/" in menu
    assert "/my/recent/list/" in menu


@pytest.mark.parametrize(
    ("view", "url"),
    [
        ("MyFavouriteSongsView", SONGS),
        ("RecentlyPlayedView", "/my/recent/list/"),
        ("MostPlayedView", "/my/most/list/"),
    ],
)
def test_a_list_page_costs_the_same_at_5_and_25_rows(app, login_as, lisa_and_songs, view, url):
    """No statement per row: the page's hearts (and plays) in one query each."""
    lisa = login_as("Listener")
    with app.app_context():
        engine = db.engine
    spent = {}
    for size in (5, 25):
        lisa.get(f"{url}?psize_{view}={size}")
        with counted(engine) as statements:
            page = text(lisa.get(f"{url}?psize_{view}={size}"))
        assert len(titles(page)) == size
        assert sum("song_mark.song_id IN" in statement for statement in statements) == 1
        spent[size] = len(statements)
    assert spent[5] == spent[25]


def test_home_shows_my_recent_and_most_played_to_me_only(login_as, lisa_and_songs):
    """The Listener's home page has her two short lists; the Editor's has his own (empty)."""
    home = text(login_as("Listener").get("/"))
    recent = home.split('id="home-recently-played"', 1)[1].split("</section>", 1)[0]
    most = home.split('id="home-most-played"', 1)[1].split("</section>", 1)[0]
    assert titles(recent) == ["Mine 29", "Mine 28", "Mine 27", "Mine 26", "Mine 25"]
    assert titles(most)[:2] == ["Mine 29", "Mine 26"]
    assert "/my/recent/list/" in recent
    editor_home = text(login_as("Editor").get("/"))
    mine = editor_home.split('id="home-recently-played"', 1)[1].split("</section>", 1)[0]
    assert titles(mine) == []
    assert "Songs you play show up here." in mine


@pytest.mark.parametrize(
    ("view", "url", "order"),
    [
        ("MostPlayedView", "/my/most/list/", "play_count"),
        ("RecentlyPlayedView", "/my/recent/list/", "last_played_at"),
        ("MyFavouriteSongsView", SONGS, "starred_at"),
    ],
)
def test_own_pages_match_the_filtered_ones(login_as, lisa_and_songs, view, url, order):
    """Unfiltered, a list is counted and paged on the listener's own rows alone; a filter
    matching every row goes through the catalog's table. Page by page, both ways, in either
    direction, they show the same songs in the same order and the same count."""
    lisa = login_as("Listener")

    def walk(direction: str, extra: str = "") -> tuple[list[str], set[str]]:
        shown, counts = [], set()
        for page in range(4):
            query = f"psize_{view}=8&page_{view}={page}&_oc_{view}={order}&_od_{view}={direction}"
            html = text(lisa.get(f"{url}?{query}{extra}"))
            shown += titles(html)
            counts.update(re.findall(r"of (\d+)", html))
        return shown, counts

    for direction in ("desc", "asc"):
        own, own_counts = walk(direction)
        assert len(own) == len(set(own)) == 30
        assert (own, own_counts) == walk(direction, "&_flt_0_title=mine")
        assert "30" in own_counts
    if order == "play_count":
        assert own[:10] == [f"Mine {n:02d}" for n in (0, 3, 6, 9, 12, 15, 18, 21, 24, 27)]
