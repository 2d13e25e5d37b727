"""Record pages and lists lead somewhere: links, trails, buttons, readable values."""

import re
from datetime import UTC, datetime

from app.extensions import db
from app.models import Album, Song
from tests.catalog.test_album_page import add_songs


def set_song(app, song_id: int, **values) -> None:
    """Change a song's columns directly."""
    with app.app_context():
        song = db.session.get(Song, song_id)
        for name, value in values.items():
            setattr(song, name, value)
        db.session.commit()


def add_tracks(app, album_id: int, *tracks: tuple[int, str]) -> None:
    """More songs on an album: (track number, title); their files do not matter here."""
    add_songs(app, album_id, *((None, number, title) for number, title in tracks))


def test_a_song_page_shows_readable_values(app, login_as, song):
    """Empty fields read "—", times without microseconds, ratings as stars."""
    moment = datetime(2026, 11, 21, 20, 31, 1, 211611, tzinfo=UTC)
    set_song(app, song.id, rating=4, genre=None, uploaded_at=moment)
    page = login_as("Listener").get(f"/songs/show/{song.id}").get_data(as_text=True)
    assert "None" not in page
    assert '<span class="text-muted">—</span>' in page  # the empty genre
    assert "Nov 21, 2026, 8:31:01\u202fPM" in page
    assert "211611" not in page
    assert 'aria-label="4 of 5 stars"' in page


def test_dates_follow_the_users_language(app, spanish_listener, song):
    """The same time written the Spanish way."""
    set_song(app, song.id, uploaded_at=datetime(2026, 11, 21, 20, 31, 1, tzinfo=UTC))
    page = spanish_listener.get(f"/songs/show/{song.id}").get_data(as_text=True)
    assert "21 nov 2026, 20:31:01" in page


def test_album_and_author_are_links_in_lists_and_on_song_pages(login_as, song):
    """Names lead to their pages, from the song list, the song page and the album list."""
    listener = login_as("Listener")
    album_link = f'<a href="/albums/show/{song.album_id}">Test Tones</a>'
    author_link = re.compile(r'<a href="/authors/show/\d+">Oscillator</a>')
    for url in ["/songs/list/", f"/songs/show/{song.id}"]:
        page = listener.get(url).get_data(as_text=True)
        assert album_link in page, url
        assert author_link.search(page), url
    assert author_link.search(listener.get("/albums/list/").get_data(as_text=True))


def test_a_song_page_has_a_trail_from_its_author(login_as, song):
    """Author, then album, then the song itself (not a link)."""
    page = login_as("Listener").get(f"/songs/show/{song.id}").get_data(as_text=True)
    trail = re.search(r'<ol class="breadcrumb">(.*?)</ol>', page).group(1)
    steps = re.findall(r"<li[^>]*>(?:<a href=\"([^\"]+)\">)?([^<]+)", trail)
    assert [label for _url, label in steps] == ["Oscillator", "Test Tones", "Tone in Vorbis"]
    assert steps[1][0] == f"/albums/show/{song.album_id}"
    assert steps[2][0] == ""


def test_edit_and_delete_buttons_only_for_those_allowed(login_as, song):
    """Editors see Edit and Delete on a record's page; listeners see neither."""
    url = f"/songs/show/{song.id}"
    editor_page = login_as("Editor").get(url).get_data(as_text=True)
    listener_page = login_as("Listener").get(url).get_data(as_text=True)
    assert f'href="/songs/edit/{song.id}"' in editor_page
    assert f'data-delete-url="/songs/delete/{song.id}"' in editor_page
    assert "/songs/edit/" not in listener_page
    assert "data-delete-url" not in listener_page


def test_an_album_page_lists_its_songs_in_track_order(app, login_as, song):
    """The track list is on the album's page itself, by track number, not title."""
    set_song(app, song.id, track_number=2)
    add_tracks(app, song.album_id, (3, "Another Tone"), (1, "Zed Tone"))
    page = login_as("Listener").get(f"/albums/show/{song.album_id}").get_data(as_text=True)
    assert 'data-toggle="tab"' not in page
    titles = re.findall(r">(Zed Tone|Tone in Vorbis|Another Tone)</a></td>", page)
    assert titles == ["Zed Tone", "Tone in Vorbis", "Another Tone"]


def test_an_author_page_lists_their_albums(app, login_as, song):
    """The author's albums are on the author's page."""
    with app.app_context():
        author_id = db.session.get(Album, song.album_id).author_id
    page = login_as("Listener").get(f"/authors/show/{author_id}").get_data(as_text=True)
    assert f'<a href="/albums/show/{song.album_id}">Test Tones</a>' in page


def test_back_goes_up_from_the_page_it_is_on(login_as, song):
    """From a record or form to its list, from a list to home, whatever was visited before."""
    editor = login_as("Editor")
    editor.get("/authors/list/")  # FAB's back would return here, from anywhere
    for page, up in [
        (f"http://localhost/songs/show/{song.id}", "/songs/list/"),
        (f"http://localhost/albums/edit/{song.album_id}", "/albums/list/"),
        ("http://localhost/songs/list/", "/"),
        ("https://elsewhere.example/songs/show/1", "/"),
    ]:
        response = editor.get("/back", headers={"Referer": page})
        assert response.headers["Location"] == up, page


def test_user_pages_show_times_to_the_second(app, login_as, users):
    """An account's last login and creation read as dates, not as 2026-11-21 20:31:01.211611."""
    admin = login_as("Admin")
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=users["Admin"])
        user_id, last_login = user.id, user.last_login
    page = admin.get(f"/users/show/{user_id}").get_data(as_text=True)
    assert last_login.strftime("%Y-%m-%d %H:%M:%S.") not in page
    assert f"{last_login:%b} {last_login.day}, {last_login.year}" in page


def test_every_page_names_itself_in_its_title(login_as, song):
    """Tabs and history tell pages apart: each main page has its own <title>."""
    editor = login_as("Editor")
    urls = [
        "/songs/list/",
        f"/songs/show/{song.id}",
        "/songs/add",
        "/songs/upload",
        "/albums/list/",
        f"/albums/show/{song.album_id}",
        "/authors/list/",
        "/search/results?q=tone",
    ]
    titles = [
        re.search(r"<title>(.*?)</title>", editor.get(url).get_data(as_text=True)).group(1)
        for url in urls
    ]
    assert all(title.endswith(" · Setlist") for title in titles), titles
    assert len(set(titles)) == len(urls), titles
