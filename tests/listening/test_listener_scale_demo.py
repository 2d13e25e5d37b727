"""The benchmark's listener data (app/demo/listener_scale.py): written with bulk SQL for 20
people and a heavy listener, it is what that listener's My music lists then show."""

import re

from sqlalchemy import func, select

from app.demo.listener_scale import Shape, generated_people, write_listener_data
from app.extensions import db
from app.models import AlbumMark, AuthorMark, SongMark, SongPlay

EVERYONE = Shape(starred_songs=8, rated_songs=6, starred_albums=3, starred_authors=2,
                 played_songs=15)  # fmt: skip
HEAVY = Shape(starred_songs=40, rated_songs=12, starred_albums=12, starred_authors=3,
              played_songs=30)  # fmt: skip
ROW = re.compile(r'data-mine-kind="(\w+)" data-mine-id="(\d+)"[^>]*data-starred="(\w+)"')


def shown(page: str, kind: str) -> list[tuple[int, str]]:
    """The (id, starred) of the rows of a kind a list page shows, in order."""
    return [(int(id_), starred) for k, id_, starred in ROW.findall(page) if k == kind]


def page_text(browser, path: str) -> str:
    """A page's text, after checking it answered 200."""
    response = browser.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_written_rows_are_what_the_heavy_listeners_lists_show(
    app, users, generated_catalog, login_as
):
    """20 people and the Listener get marks and plays; her lists show hers, newest first,
    paged and counted as written, and the written counts are the tables' rows."""
    generated_catalog(300)  # 30 albums, 6 authors
    with app.app_context():
        sm = app.appbuilder.sm
        lisa = sm.find_user(username=users["Listener"]).id
        role = sm.find_role("Listener").id
        with db.engine.begin() as connection:
            people = generated_people(connection, 20, role)
            scale = write_listener_data(connection, people, lisa, EVERYONE, HEAVY)
        assert len(people) == 20
        assert scale.listeners == 21
        assert scale.heavy == HEAVY
        written = {SongMark: scale.song_marks, AlbumMark: scale.album_marks,
                   AuthorMark: scale.author_marks, SongPlay: scale.plays}  # fmt: skip
        for model, count in written.items():
            assert db.session.scalar(select(func.count()).select_from(model)) == count
        # 8 starred + 6 rated, 2 of them starred too: 12 song marks each, 52 the heavy one's.
        assert scale.song_marks == 20 * 12 + 40 + 12 - 4
        newest = db.session.scalars(
            select(SongMark.song_id)
            .where(SongMark.user_id == lisa, SongMark.starred_at.is_not(None))
            .order_by(SongMark.starred_at.desc(), SongMark.song_id.desc())
        ).all()
        last_played = db.session.scalar(
            select(SongPlay.song_id)
            .where(SongPlay.user_id == lisa)
            .order_by(SongPlay.last_played_at.desc(), SongPlay.song_id.desc())
        )

    listener = login_as("Listener")
    first = page_text(listener, "/my/favourites/song/list/")
    assert "1–25 of 40" in first
    assert shown(first, "song") == [(song_id, "true") for song_id in newest[:25]]
    second = page_text(listener, "/my/favourites/song/list/?page_MyFavouriteSongsView=1")
    assert "26–40 of 40" in second
    assert shown(second, "song") == [(song_id, "true") for song_id in newest[25:]]
    albums = page_text(listener, "/my/favourites/album/list/")
    assert "1–12 of 12" in albums
    assert len(shown(albums, "album")) == 12
    recent = page_text(listener, "/my/recent/list/")
    assert "1–25 of 30" in recent
    assert shown(recent, "song")[0][0] == last_played
    # The generated people have no password that signs in.
    assert not login_as(None).login(f"generated-{people[0]}")
