"""Authors, albums and songs through the real forms, CSRF on, files on disk."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Album, Author, Song

MP3 = "morning-light.mp3"


def only_id(app, model, **filters) -> int:
    """The id of the single row matching the filters."""
    with app.app_context():
        return db.session.execute(select(model.id).filter_by(**filters)).scalar_one()


@pytest.fixture
def album_id(app, editor) -> int:
    """An author and an album created through the forms."""
    editor.submit("/authors/add", {"name": "The Test Pattern", "country": "United Kingdom"})
    author_id = only_id(app, Author, name="The Test Pattern")
    editor.submit(
        "/albums/add", {"title": "Signals", "author": str(author_id), "release_year": "2024"}
    )
    return only_id(app, Album, title="Signals")


def add_song(editor, album_id: int, upload, **fields):
    """Post the add-song form."""
    data = {
        "title": "Morning Light",
        "album": str(album_id),
        "track_number": "1",
        "rating": "4",
        "audio_file": upload,
        **fields,
    }
    return editor.submit("/songs/add", data)


def test_song_lifecycle_keeps_files_in_step(app, editor, album_id, audio, upload_folder):
    """Add, download, replace and delete a song; the disk follows every step."""
    response = add_song(editor, album_id, audio(MP3, as_name="Café – 夜.mp3"))
    assert response.status_code == 302
    with app.app_context():
        song = db.session.execute(select(Song)).scalar_one()
        song_id, first_file = song.id, song.audio_file
        assert song.original_filename == "Café – 夜.mp3"
        assert song.duration == pytest.approx(3.6, abs=0.1)
        assert song.uploaded_by.username == "eddie"
    stored = upload_folder / first_file
    assert stored.read_bytes() == audio(MP3)[0].getvalue()
    assert [p for p in upload_folder.iterdir() if p.is_file()] == [stored]

    download = editor.get(f"/songs/download/{song_id}")
    assert download.status_code == 200
    assert download.data == stored.read_bytes()
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=UTF-8''Caf%C3%A9%20%E2%80%93%20%E5%A4%9C.mp3" in disposition

    listing = editor.get("/songs/list/").get_data(as_text=True)
    for shown in ("Morning Light", "Signals", "The Test Pattern", "Café – 夜.mp3", "0:04"):
        assert shown in listing
    assert f'href="/songs/download/{song_id}"' in listing

    response = editor.submit(
        f"/songs/edit/{song_id}",
        {
            "title": "Morning Light (remaster)",
            "album": str(album_id),
            "track_number": "1",
            "rating": "5",
            "audio_file": audio("tone.ogg"),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        song = db.session.get(Song, song_id)
        assert (song.title, song.rating, song.original_filename) == (
            "Morning Light (remaster)",
            5,
            "tone.ogg",
        )
        second_file = song.audio_file
    assert not stored.exists(), "the replaced file must be removed"
    assert [p.name for p in upload_folder.iterdir() if p.is_file()] == [second_file]
    assert editor.get(f"/songs/download/{song_id}").data == audio("tone.ogg")[0].getvalue()

    response = editor.submit("/songs/list/", {}, post_url=f"/songs/delete/{song_id}")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Song, song_id) is None
    assert [p for p in upload_folder.iterdir() if p.is_file()] == []
    assert editor.get(f"/songs/download/{song_id}").status_code == 404


def test_edit_without_new_file_keeps_the_old_one(app, editor, album_id, audio, upload_folder):
    """Editing only the title leaves the stored file and its name alone."""
    add_song(editor, album_id, audio(MP3))
    song_id = only_id(app, Song, title="Morning Light")
    before = sorted(upload_folder.iterdir())
    response = editor.submit(
        f"/songs/edit/{song_id}",
        {"title": "Renamed", "album": str(album_id), "track_number": "", "rating": ""},
    )
    assert response.status_code == 302
    assert sorted(upload_folder.iterdir()) == before
    with app.app_context():
        song = db.session.get(Song, song_id)
        assert (song.title, song.original_filename, song.rating) == ("Renamed", MP3, None)


def test_related_views_list_albums_and_songs(app, editor, album_id, audio):
    """An author's page lists their albums; an album's page lists its songs."""
    add_song(editor, album_id, audio(MP3))
    author_id = only_id(app, Author, name="The Test Pattern")
    author_page = editor.get(f"/authors/show/{author_id}").get_data(as_text=True)
    assert "Signals" in author_page
    album_page = editor.get(f"/albums/show/{album_id}").get_data(as_text=True)
    assert "Morning Light" in album_page


def test_search_and_sort_songs(app, editor, album_id, audio):
    """Songs can be filtered by title and sorted by rating."""
    add_song(editor, album_id, audio(MP3), title="Alpha", rating="2")
    add_song(editor, album_id, audio("tone.ogg"), title="Beta", rating="5")
    filtered = editor.get("/songs/list/?_flt_0_title=Alph").get_data(as_text=True)
    titles = re.findall(r">(Alpha|Beta)</a></td>", filtered)
    assert titles == ["Alpha"]
    ordered = editor.get("/songs/list/?_oc_SongModelView=rating&_od_SongModelView=desc")
    titles = re.findall(r">(Alpha|Beta)</a></td>", ordered.get_data(as_text=True))
    assert titles == ["Beta", "Alpha"]


def test_file_is_marked_required_only_when_adding(app, editor, song):
    """The add form requires a file; the edit form keeps the current one if none is sent."""
    add_form = editor.get("/songs/add").get_data(as_text=True)
    edit_form = editor.get(f"/songs/edit/{song.id}").get_data(as_text=True)
    file_input = re.compile(r'<input[^>]*id="audio_file"[^>]*>')
    assert "required" in file_input.search(add_form).group(0)
    assert "required" not in file_input.search(edit_form).group(0)
    assert "Leave empty to keep the current file." in edit_form


def flashed_after(editor, response) -> tuple[str, str]:
    """(where a form post sent the user, the page found there)."""
    assert response.status_code == 302
    location = response.headers["Location"]
    return location, editor.get(location).get_data(as_text=True)


def test_saving_goes_to_the_row_and_says_what_was_done(app, editor, album_id, audio):
    """Add and edit land on the row's page, with a sentence naming it."""
    added = add_song(editor, album_id, audio(MP3), title="Night <b>Drive</b>")
    with app.app_context():
        song_id = db.session.scalar(select(Song.id).where(Song.title == "Night <b>Drive</b>"))
    location, page = flashed_after(editor, added)
    assert location == f"/songs/show/{song_id}"
    assert "Song “Night &lt;b&gt;Drive&lt;/b&gt;” added." in page
    edited = editor.submit(
        f"/songs/edit/{song_id}", {"title": "Night Ride", "album": str(album_id)}
    )
    location, page = flashed_after(editor, edited)
    assert location == f"/songs/show/{song_id}"
    assert "Song “Night Ride” saved." in page
    author = editor.submit("/authors/add", {"name": "Ana Tijoux"})
    assert "Author “Ana Tijoux” added." in flashed_after(editor, author)[1]


def test_a_refused_delete_goes_back_to_the_row_with_the_reason(app, editor, song):
    """Deleting an album that has songs, from anywhere, returns to that album."""
    # Pages visited before must not decide where the refusal lands (FAB's page history did).
    editor.get(f"/songs/edit/{song.id}")
    refused = editor.submit(
        f"/albums/show/{song.album_id}", {}, post_url=f"/albums/delete/{song.album_id}"
    )
    location, page = flashed_after(editor, refused)
    assert location == f"/albums/show/{song.album_id}"
    assert "still has 1 song(s)" in page


def test_a_delete_goes_to_the_list_and_names_the_row(app, editor, song):
    """After deleting, the list (the row's own page is gone) and a sentence naming it."""
    deleted = editor.submit(f"/songs/show/{song.id}", {}, post_url=f"/songs/delete/{song.id}")
    location, page = flashed_after(editor, deleted)
    assert location == "/songs/list/"
    assert f"Song “{song.title}” deleted." in page


def test_editing_an_album_keeps_its_own_title(app, editor, song):
    """Saving an album unchanged in title is not refused by the one-title-per-author rule;
    taking another album's title still is."""
    with app.app_context():
        album = db.session.get(Album, song.album_id)
        author_id = album.author_id
        db.session.add(Album(title="Other Tones", author_id=author_id))
        db.session.commit()
    fields = {"title": "Test Tones", "author": str(author_id), "release_year": "2024"}
    saved = editor.submit(f"/albums/edit/{song.album_id}", fields)
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(Album, song.album_id).release_year == 2024
    fields["title"] = "other tones"
    refused = editor.submit(f"/albums/edit/{song.album_id}", fields)
    assert refused.status_code == 200
    assert "already has an album with this title" in refused.get_data(as_text=True)
