"""The listener's own lists as pages: favourites, recently and most played, paged by key."""

import re

import pytest

from app.extensions import db
from app.listening import marks, plays
from app.models import Album, Author, Song
from tests.setlists.building import counted

NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


@pytest.fixture
def lisa_and_songs(app, users) -> tuple[int, list[int]]:
    """The Listener's id and 30 songs she starred (song 0 first) and played (song n, n+1 times)."""
    with app.app_context():
        lisa = app.appbuilder.sm.find_user(username=users["Listener"]).id
        album = Album(title="Mine", author=Author(name="Owner"))
        rows = [
            Song(
                title=f"Mine {n:02d}",
                album=album,
                audio_file=f"{n}.ogg",
                original_filename=f"{n}.ogg",
                duration=100.0,
            )
            for n in range(30)
        ]
        db.session.add_all(rows)
        db.session.flush()
        for n, row in enumerate(rows):
            marks.star(db.session, lisa, "song", row.id)
            db.session.flush()
            for _time in range(n % 3 + 1):
                plays.record_play(db.session, lisa, row.id)
        marks.star(db.session, lisa, "album", album.id)
        db.session.commit()
        return lisa, [row.id for row in rows]


def titles(page: str) -> list[str]:
    """The song titles a list page shows, in order."""
    return re.findall(r">(Mine \d\d)</a>", page)


def test_favourites_page_by_page_newest_first(login_as, lisa_and_songs):
    """25 on page 1, the last starred first; the next page goes on from there; unstar one."""
    lisa = login_as("Listener")
    first = lisa.get("/my/favourites/song/")
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    assert titles(page)[:2] == ["Mine 29", "Mine 28"]
    assert len(titles(page)) == 25
    assert 'data-starred="true"' in page
    second = lisa.get(NEXT.search(page).group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert titles(second) == [f"Mine {n:02d}" for n in range(4, -1, -1)]
    assert not NEXT.search(second)
    lisa.api("PUT", f"/api/v1/mine/song/{lisa_and_songs[1][29]}/star", json={"starred": False})
    assert titles(lisa.get("/my/favourites/song/").get_data(as_text=True))[0] == "Mine 28"
    assert ">Mine</a>" in lisa.get("/my/favourites/album/").get_data(as_text=True)


def test_most_and_recently_played(login_as, lisa_and_songs):
    """Most played: three plays first; recently played: the last played first."""
    lisa = login_as("Listener")
    most = lisa.get("/my/most/").get_data(as_text=True)
    assert titles(most)[:2] == ["Mine 29", "Mine 26"]
    assert "3 plays" in most
    recent = lisa.get("/my/recent/").get_data(as_text=True)
    assert titles(recent)[0] == "Mine 29"
    page_two = lisa.get(NEXT.search(recent).group(1).replace("&amp;", "&"))
    assert len(titles(page_two.get_data(as_text=True))) == 5


def test_only_ones_own_and_only_when_signed_in(login_as, lisa_and_songs):
    """Another user's lists are empty; visitors go to the login page; a bad page key is 400."""
    editor = login_as("Editor")
    for url in ("/my/favourites/song/", "/my/recent/", "/my/most/"):
        assert titles(editor.get(url).get_data(as_text=True)) == []
        assert login_as(None).get(url).status_code == 302
    lisa = login_as("Listener")
    assert lisa.get("/my/recent/?after=yesterday~1").status_code == 400
    assert lisa.get("/my/favourites/playlist/").status_code == 404
    assert "/my/favourites/song/" in lisa.get("/").get_data(as_text=True)  # in the menu


def test_a_list_page_costs_the_same_at_5_and_25_rows(app, login_as, lisa_and_songs):
    """No statement per row: the page's hearts in one query, songs with albums joined."""
    lisa = login_as("Listener")
    with app.app_context():
        engine = db.engine
    lisa.get("/my/most/")
    with counted(engine) as statements:
        page = lisa.get("/my/most/").get_data(as_text=True)
    assert len(titles(page)) == 25
    assert sum("song_mark" in statement for statement in statements) == 1
    assert len(statements) <= 8


def test_home_shows_my_recent_and_most_played_to_me_only(login_as, lisa_and_songs):
    """The Listener's home page has her two short lists; the Editor's has his own (empty)."""
    home = login_as("Listener").get("/").get_data(as_text=True)
    recent = home.split('id="home-recently-played"', 1)[1].split("</section>", 1)[0]
    most = home.split('id="home-most-played"', 1)[1].split("</section>", 1)[0]
    assert titles(recent) == ["Mine 29", "Mine 28", "Mine 27", "Mine 26", "Mine 25"]
    assert titles(most)[:2] == ["Mine 29", "Mine 26"]
    editor_home = login_as("Editor").get("/").get_data(as_text=True)
    assert 'id="home-recently-played"' in editor_home
    mine = editor_home.split('id="home-recently-played"', 1)[1].split("</section>", 1)[0]
    assert titles(mine) == []
    assert "Songs you play show up here." in mine
