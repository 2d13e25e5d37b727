"""Bad input gets a message next to its field, never a 500, and leaves no stray file."""

import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Album, Author, Song
from tests.support.apps import row_count
from tests.support.forms import Browser

FIELD_ERROR = '<span class="help-block">'


@pytest.mark.parametrize(
    ("fields", "upload", "message"),
    [
        ({}, ("notes.txt", b"plain text"), "Only audio files can be uploaded"),
        ({}, ("cover.jpg", b"\xff\xd8\xff\xe0 jpeg"), "Only audio files can be uploaded"),
        ({}, ("no-extension", b"ID3 data"), "Only audio files can be uploaded"),
        ({}, ("empty.mp3", b""), "The file is empty."),
        ({}, None, "Choose an audio file to upload."),
        ({"rating": "9"}, ("tone.ogg", None), "Number must be between 1 and 5."),
        ({"rating": "0"}, ("tone.ogg", None), "Number must be between 1 and 5."),
        ({"rating": "five"}, ("tone.ogg", None), "Not a valid integer value."),
        ({"track_number": "-3"}, ("tone.ogg", None), "Number must be between 1 and 999."),
        ({"title": "x" * 201}, ("tone.ogg", None), "Field cannot be longer than 200"),
    ],
    ids=[
        "text-file",
        "image",
        "no-extension",
        "empty-file",
        "no-file",
        "rating-9",
        "rating-0",
        "rating-word",
        "negative-track",
        "title-too-long",
    ],
)
def test_bad_song_is_refused_with_a_field_message(
    app, editor, song, audio, upload_folder, fields, upload, message
):
    """Each bad song form is shown again with the reason, and nothing is stored (a good file
    waits in the staged folder for the next try, see test_staged_uploads.py)."""
    files_before = catalog_files(upload_folder)
    songs_before = row_count(app, Song)
    if upload is not None:
        name, content = upload
        upload = audio(name) if content is None else (io.BytesIO(content), name)
    data = {"title": "New song", "album": str(song.album_id), "audio_file": upload, **fields}
    if upload is None:
        del data["audio_file"]
    response = editor.submit("/songs/add", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert FIELD_ERROR in page
    assert message in page
    assert row_count(app, Song) == songs_before
    assert catalog_files(upload_folder) == files_before


def catalog_files(upload_folder) -> list:
    """What the upload folder holds for the catalog (not the files waiting in staged/)."""
    return sorted(path for path in upload_folder.iterdir() if path.name != "staged")


def test_oversized_upload_gets_a_friendly_page(
    app, editor, song, audio, upload_folder, monkeypatch
):
    """An upload over MAX_UPLOAD_LENGTH is a readable 413 page; nothing is stored."""
    files_before = sorted(upload_folder.iterdir())
    monkeypatch.setitem(app.config, "MAX_UPLOAD_LENGTH", 20 * 1024)
    response = editor.submit(
        "/songs/add",
        {"title": "Too big", "album": str(song.album_id), "audio_file": audio("tone.wav")},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "That file is too large" in page
    assert "Uploads may be at most 20 KB." in page
    assert row_count(app, Song) == 1
    assert sorted(upload_folder.iterdir()) == files_before


def test_duplicate_author_name_is_refused(app, editor, song):
    """A second author with an existing name gets a message on the name field."""
    response = editor.submit("/authors/add", {"name": "Oscillator"})
    assert response.status_code == 200
    assert "Already exists." in response.get_data(as_text=True)
    assert row_count(app, Author) == 1


def test_duplicate_album_title_for_one_author_is_refused(app, editor, song):
    """An author cannot have two albums with the same title; another author can."""
    author_id = song.album.author_id
    response = editor.submit("/albums/add", {"title": "test tones", "author": str(author_id)})
    assert response.status_code == 200
    assert "Oscillator already has an album with this title." in response.get_data(as_text=True)
    assert row_count(app, Album) == 1

    editor.submit("/authors/add", {"name": "Someone Else"})
    with app.app_context():
        other_id = db.session.scalar(select(Author.id).where(Author.name == "Someone Else"))
    response = editor.submit("/albums/add", {"title": "Test Tones", "author": str(other_id)})
    assert response.status_code == 302
    assert row_count(app, Album) == 2


def test_release_year_out_of_range_is_refused(app, editor, song):
    """A release year before recorded sound is refused."""
    response = editor.submit(
        "/albums/add",
        {"title": "Ancient", "author": str(song.album.author_id), "release_year": "1500"},
    )
    assert response.status_code == 200
    assert "Number must be between 1860 and 2100." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("view", "pk_of", "message"),
    [
        ("authors", lambda song: song.album.author_id, "still has 1 album(s)"),
        ("albums", lambda song: song.album_id, "still has 1 song(s)"),
    ],
)
def test_deleting_a_parent_with_children_is_refused(app, editor, song, view, pk_of, message):
    """Authors with albums and albums with songs stay, with a message saying why."""
    pk = pk_of(song)
    response = editor.submit(f"/{view}/list/", {}, post_url=f"/{view}/delete/{pk}")
    assert response.status_code == 302
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page
    assert row_count(app, Song) == 1
    assert row_count(app, Album) == 1


def test_missing_song_and_stored_file_give_404(app, editor, song, upload_folder):
    """Unknown song ids and songs whose file vanished are 404s, not 500s."""
    assert editor.get("/songs/download/999999").status_code == 404
    (upload_folder / song.audio_file).unlink()
    assert editor.get(f"/songs/download/{song.id}").status_code == 404


def test_post_without_csrf_token_is_refused(app, editor, song):
    """A form post without its CSRF token changes nothing."""
    response = editor.client.post("/authors/add", data={"name": "Forged"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert row_count(app, Author) == 1


def test_markup_in_names_is_shown_as_text(app, editor, song):
    """Names containing HTML are escaped on lists, detail pages and error messages."""
    markup = "<script>alert('x')</script>"
    with app.app_context():
        author = db.session.get(Author, song.album.author_id)
        author.name = markup
        db.session.commit()
    escaped = "&lt;script&gt;"
    for url in (
        "/authors/list/",
        f"/authors/show/{song.album.author_id}",
        "/songs/list/",
        f"/songs/edit/{song.id}",
    ):
        page = editor.get(url).get_data(as_text=True)
        assert markup not in page, url
        assert escaped in page, url
    response = editor.submit(
        "/authors/list/", {}, post_url=f"/authors/delete/{song.album.author_id}"
    )
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert markup not in page
    assert escaped in page


@pytest.mark.parametrize("url", ["/songs/action/no-such-action/1", "/users/action/nope/1"])
def test_unknown_action_is_not_found_even_anonymously(app, browser, url):
    """FAB's per-row action route is not permission-checked and failed on unknown names."""
    assert browser.submit("/login/", {}, post_url=url).status_code == 404


def test_unknown_list_action_is_not_found(app, editor, song):
    """A forged multi-row action name answers 404, not a server error."""
    response = editor.submit(
        "/songs/list/", {"action": "drop_everything", "rowid": str(song.id)}, "/songs/action_post"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/users/show/99999999999999999999",
        "/users/edit/99999999999999999999",
        "/roles/show/99999999999999999999",
        "/registeruser/show/99999999999999999999",
        "/resetpassword/form?pk=99999999999999999999",
        "/songs/show/99999999999999999999",
        "/users/show/first",
    ],
)
def test_an_id_no_row_can_have_is_not_found(login_as, url):
    """An admin's typo in an address is a 404 everywhere, FAB's own security pages too."""
    assert login_as("Admin").get(url).status_code == 404


def test_ones_own_names_longer_than_the_table_keeps_are_refused_at_their_field(app, own_account):
    """Edit my information: 65 characters of first name is a message under the field (FAB's
    form took it and PostgreSQL refused the row); 64 are kept."""
    owner = Browser(app.test_client())
    assert owner.login(own_account)
    form = "/userinfoeditview/form"
    refused = owner.submit(form, {"first_name": "F" * 65, "last_name": "Lane"})
    assert refused.status_code == 200
    assert "Field cannot be longer than 64 characters." in refused.get_data(as_text=True)
    assert owner.submit(form, {"first_name": "F" * 64, "last_name": "Lane"}).status_code == 302
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=own_account)
        assert (user.first_name, user.last_name) == ("F" * 64, "Lane")
