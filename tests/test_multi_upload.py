"""The multi-file upload endpoint: one file per request, the add form's checks, JSON answers."""

from sqlalchemy import select

from app.extensions import db
from app.models import Album, Song
from tests.support import files_in

PAGE, FILE = "/songs/upload", "/songs/upload/file"


def send(visitor, upload, **fields):
    """Post one file the way the upload page's script does (token from the page)."""
    return visitor.submit(PAGE, {"audio_file": upload, **fields}, post_url=FILE)


def test_a_tagged_file_is_added_from_its_tags(app, editor, audio, upload_folder):
    """201 with the song's page; author, album, title and cover come from the tags."""
    before = files_in(upload_folder)
    answer = send(editor, audio("morning-light.mp3"))
    assert answer.status_code == 201
    assert answer.json["status"] == "added"
    assert answer.json["message"] == "Song “Morning Light” added."
    with app.app_context():
        song = db.session.scalar(select(Song).where(Song.title == "Morning Light"))
        assert song.album.title == "Signals"
        assert song.album.author.name == "The Test Pattern"
        assert answer.json["url"] == f"/songs/show/{song.id}"
    added = sorted(set(files_in(upload_folder)) - set(before))
    assert sorted((path.parent.name, path.suffix) for path in added) == [
        ("covers", ".jpg"),
        (upload_folder.name, ".mp3"),
    ]


def test_a_file_already_there_is_a_duplicate_with_a_link(app, editor, song, audio, upload_folder):
    """409 naming the song that has the file; nothing stored."""
    before = files_in(upload_folder)
    answer = send(editor, audio("tone.ogg"))
    assert answer.status_code == 409
    assert answer.json["status"] == "duplicate"
    assert answer.json["url"] == f"/songs/show/{song.id}"
    assert "already in the catalog as Tone in Vorbis" in answer.json["message"]
    assert files_in(upload_folder) == before


def test_a_bad_file_is_refused_with_the_fields_message(app, editor, audio, upload_folder):
    """400 with the same message the form shows; nothing stored."""
    before = files_in(upload_folder)
    answer = send(editor, audio("not-audio-really-jpeg.mp3"))
    assert answer.status_code == 400
    assert answer.json["status"] == "refused"
    assert answer.json["errors"]["audio_file"] == [answer.json["message"]]
    assert files_in(upload_folder) == before


def test_an_untagged_file_needs_the_pages_album(app, editor, song, audio):
    """Without tags naming an album the page's album choice is used, else it is refused."""
    refused = send(editor, audio("untagged-tone.mp3"))
    assert refused.status_code == 400
    assert refused.json["message"].startswith("Choose an album")
    added = send(editor, audio("untagged-tone.mp3"), album=str(song.album_id))
    assert added.status_code == 201
    with app.app_context():
        new = db.session.get(Song, int(added.json["url"].rsplit("/", 1)[1]))
        assert db.session.get(Album, new.album_id).title == "Test Tones"


def test_only_those_who_may_add_songs_upload(login_as, audio):
    """Listeners get 403 for the page and the endpoint (as JSON there); editors get the page."""
    listener = login_as("Listener")
    assert listener.get(PAGE).status_code == 403
    refused = listener.client.post(FILE, data={"audio_file": audio("tone.ogg")})
    assert refused.status_code in (400, 403)
    assert refused.is_json
    editor_page = login_as("Editor").get(PAGE).get_data(as_text=True)
    assert 'id="multi-upload"' in editor_page
    assert 'href="/songs/upload"' in login_as("Editor").get("/songs/list/").get_data(True)
    assert 'href="/songs/upload"' not in listener.get("/songs/list/").get_data(True)


def test_a_post_without_its_token_is_refused_in_json(editor, audio):
    """No CSRF token: 400 as JSON, like every error of the endpoint."""
    answer = editor.client.post(FILE, data={"audio_file": audio("tone.ogg")})
    assert answer.status_code == 400
    assert answer.json["message"].startswith("This form has expired")


def test_a_storage_failure_is_ours_and_keeps_nothing(app, editor, audio, upload_folder):
    """503 (worth another try, unlike a bad file's 400) with plain words; nothing stored."""
    (upload_folder / "covers").write_text("a file where the covers folder should be")
    answer = send(editor, audio("morning-light.mp3"))
    assert answer.status_code == 503
    assert answer.json["status"] == "refused"
    assert answer.json["message"].startswith("The song could not be saved, so nothing was kept.")
    assert [path.name for path in files_in(upload_folder)] == ["covers"]
    with app.app_context():
        assert db.session.scalar(select(Song)) is None
