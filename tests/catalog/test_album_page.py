"""An album's page: its songs in running order (discs, then numbered tracks, the rest last),
no column naming the album or its author, history below the tracks; record pages headed
by the record's name."""

import re

from app.extensions import db
from app.models import Album, Song


def add_songs(app, album_id: int, *songs: tuple[int | None, int | None, str]) -> None:
    """Songs on an album: (disc, track, title); their files do not matter here."""
    with app.app_context():
        for disc, track, title in songs:
            db.session.add(
                Song(
                    title=title,
                    album_id=album_id,
                    disc_number=disc,
                    track_number=track,
                    audio_file=f"{title}.ogg",
                    original_filename=f"{title}.ogg",
                    sha256=title.ljust(64, "0")[:64],
                )
            )
        db.session.commit()


def track_list(page: str) -> str:
    """The album page's song table (its related list)."""
    return re.search(r'<section class="related-list">(.*?)</section>', page, re.S).group(1)


def titles_in(table: str) -> list[str]:
    """Song titles in the order the table lists them."""
    return re.findall(r'<td class="col-title primary"><a href="/songs/show/\d+">([^<]+)</a>', table)


def headers_of(table: str) -> list[str]:
    """The table's column headings."""
    cells = re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def test_an_album_page_plays_discs_in_order_and_unnumbered_songs_last(app, login_as, song):
    """Disc 1 before disc 2, numbered tracks before unnumbered ones on each disc, songs
    without a disc after the discs; on SQLite and PostgreSQL alike (NULLs sort apart)."""
    with app.app_context():
        db.session.execute(
            Song.__table__.update().where(Song.id == song.id).values(disc_number=2, track_number=1)
        )
        db.session.commit()
    add_songs(
        app,
        song.album_id,
        (None, None, "Aardvark Outro"),
        (1, None, "Bonus Hidden"),
        (1, 2, "Second Light"),
        (None, 1, "Loose Single"),
        (1, 1, "Zero Hour"),
    )
    page = login_as("Listener").get(f"/albums/show/{song.album_id}").get_data(as_text=True)
    table = track_list(page)
    assert titles_in(table) == [
        "Zero Hour",
        "Second Light",
        "Bonus Hidden",
        "Tone in Vorbis",
        "Loose Single",
        "Aardvark Outro",
    ]
    headers = headers_of(table)
    assert "Album" not in headers, headers
    assert "Author" not in headers, headers
    assert headers.index("Disc") == headers.index("Track") - 1, headers
    # The Track heading sorts by the same running order, backwards when asked.
    backwards = login_as("Listener").get(
        f"/albums/show/{song.album_id}?_oc_SongModelView=track_number&_od_SongModelView=desc"
    )
    assert titles_in(track_list(backwards.get_data(as_text=True)))[0] == "Aardvark Outro"


def test_a_one_disc_album_has_no_disc_column_and_the_song_list_keeps_its_columns(
    app, login_as, song
):
    """No empty Disc column where no song has a disc; the song list still names albums."""
    add_songs(app, song.album_id, (None, None, "No Number"), (None, 1, "First Track"))
    listener = login_as("Listener")
    table = track_list(listener.get(f"/albums/show/{song.album_id}").get_data(as_text=True))
    assert "Disc" not in headers_of(table)
    assert titles_in(table) == ["First Track", "No Number", "Tone in Vorbis"]
    song_list = listener.get("/songs/list/").get_data(as_text=True)
    assert {"Album", "Author"} <= set(headers_of(song_list))


def test_an_author_page_lists_albums_without_an_author_column(app, login_as, song):
    """The author's own page does not repeat their name on every album row."""
    with app.app_context():
        author_id = db.session.get(Album, song.album_id).author_id
    page = login_as("Listener").get(f"/authors/show/{author_id}").get_data(as_text=True)
    headers = headers_of(track_list(page))
    assert "Title" in headers, headers
    assert "Author" not in headers, headers


def test_history_comes_below_the_tracks(app, editor, song):
    """An editor reads the album, its tracks, then who changed it."""
    with app.app_context():
        author_id = db.session.get(Album, song.album_id).author_id
    response = editor.submit(
        f"/albums/edit/{song.album_id}",
        {"title": "Test Tones II", "author": str(author_id), "release_year": "2023"},
    )
    assert response.status_code == 302
    page = editor.get(f"/albums/show/{song.album_id}").get_data(as_text=True)
    assert page.index('class="related-list"') < page.index('class="record-history"')
    assert "Test Tones II" in page[page.index('class="record-history"') :]


def test_record_pages_are_headed_by_the_records_name(app, login_as, song):
    """A song's title, an album's title, an author's name head their pages and tabs, with
    the kind of record beside; a name is shown as text, never as markup."""
    with app.app_context():
        album = db.session.get(Album, song.album_id)
        author_id = album.author_id
        album.title = "<b>Tones</b> & more"
        db.session.commit()
    listener = login_as("Listener")
    for url, kind, name in [
        (f"/songs/show/{song.id}", "Song", "Tone in Vorbis"),
        (f"/albums/show/{song.album_id}", "Album", "&lt;b&gt;Tones&lt;/b&gt; &amp; more"),
        (f"/authors/show/{author_id}", "Author", "Oscillator"),
    ]:
        page = listener.get(url).get_data(as_text=True)
        heading = re.search(r'<h1 class="panel-title record-name">(.*?)</h1>', page).group(1)
        assert heading == f'<span class="record-kind">{kind}</span> {name}', url
        assert re.search(r"<title>(.*?)</title>", page).group(1) == f"{name} · Setlist"
    assert listener.get("/songs/show/999999").status_code == 404
