"""Song files through the API: the same outcomes as the upload form, answered in JSON."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Album, Song
from tests.media.corpus import BAD_FILES, GOOD_FILES, upload
from tests.support.apps import files_in, row_count
from tests.support.faults import commits_fail

UPLOAD = "/api/v1/song/upload"


def send(visitor, url: str, fields: dict, method: str = "POST"):
    """A multipart request to the API with the page's CSRF token."""
    return visitor.api(method, url, data=fields, content_type="multipart/form-data")


@pytest.mark.parametrize(("name", "kind", "rate", "channels", "seconds"), GOOD_FILES)
def test_good_files_become_songs(editor, album_id, corpus, name, kind, rate, channels, seconds):
    """Each real format is stored and described by what its content says (201)."""
    response = send(editor, UPLOAD, {"file": upload(corpus, name), "album_id": str(album_id)})
    assert response.status_code == 201, response.json
    result = response.json["result"]
    assert (result["format"], result["sample_rate"], result["channels"]) == (kind, rate, channels)
    assert result["duration"] == pytest.approx(seconds, abs=0.1)
    assert result["original_name"] == name
    assert editor.get(result["stream_url"]).data == (corpus / name).read_bytes()


@pytest.mark.parametrize(("name", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_and_leave_nothing(
    app,
    editor,
    song,
    corpus,
    upload_folder,
    name,
    message,
):
    """Empty, damaged, disguised and mislabelled files: 422 with the form's message."""
    before = files_in(upload_folder)
    response = send(editor, UPLOAD, {"file": upload(corpus, name), "album_id": str(song.album_id)})
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["file"]
    assert message in response.json["errors"]["file"][0]
    assert files_in(upload_folder) == before
    assert row_count(app, Song) == 1


def test_tags_name_the_album_and_a_duplicate_names_its_song(app, editor, corpus):
    """Without an album the tags make one; the same file again is a 409 naming the song."""
    response = send(editor, UPLOAD, {"file": upload(corpus, "morning-light.mp3")})
    assert response.status_code == 201
    first = response.json["result"]
    with app.app_context():
        album = db.session.get(Album, first["album"]["id"])
        assert (album.title, album.author.name) == (
            first["album"]["title"],
            first["author"]["name"],
        )
        assert album.cover_file  # the embedded picture
    again = send(editor, UPLOAD, {"file": upload(corpus, "morning-light.mp3"), "title": "Again"})
    assert again.status_code == 409
    assert again.json["duplicate"] == {"id": first["id"], "url": first["page_url"]}
    assert "already in the catalog" in again.json["errors"]["file"][0]
    assert "<a" not in again.json["message"]
    assert row_count(app, Song) == 1


def test_a_songs_file_is_replaced_and_the_old_one_goes(app, editor, song, corpus, upload_folder):
    """The new file is described, the title stays, the old file is removed after the commit;
    a file another song has is refused, nothing changes."""
    old = upload_folder / song.audio_file
    url = f"/api/v1/song/{song.id}/file"
    response = send(editor, url, {"file": upload(corpus, "tone.flac")}, method="PUT")
    assert response.status_code == 200, response.json
    result = response.json["result"]
    assert (result["format"], result["title"], result["original_name"]) == (
        "FLAC",
        "Tone in Vorbis",
        "tone.flac",
    )
    assert not old.exists()
    assert editor.get(result["stream_url"]).data == (corpus / "tone.flac").read_bytes()
    assert send(editor, url, {"file": upload(corpus, "tone.flac")}, method="PUT").status_code == 200
    other = send(editor, UPLOAD, {"file": upload(corpus, "tone.wav"), "album_id": song.album_id})
    before = files_in(upload_folder)
    refused = send(editor, url, {"file": upload(corpus, "tone.wav")}, method="PUT")
    assert refused.status_code == 409
    assert refused.json["duplicate"]["id"] == other.json["id"]
    assert files_in(upload_folder) == before
    missing = send(editor, url, {"title": "No file"}, method="PUT")
    assert (missing.status_code, list(missing.json["errors"])) == (422, ["file"])


def test_uploads_are_refused_cleanly(app, login_as, song, corpus, upload_folder, monkeypatch):
    """Roles, CSRF, unknown fields, JSON bodies, size and a failing commit: each answered in
    JSON, and none leaves a file or a row behind."""
    before = files_in(upload_folder)

    def fields() -> dict:
        return {"file": upload(corpus, "tone.m4a"), "album_id": str(song.album_id)}

    assert send(login_as(None), UPLOAD, fields()).status_code == 401
    assert send(login_as("Listener"), UPLOAD, fields()).status_code == 403
    editor = login_as("Editor")
    no_token = editor.api("POST", UPLOAD, csrf=False, data=fields())
    assert no_token.status_code == 400
    staged = {"file": upload(corpus, "tone.m4a"), "audio_file_staged": "someone-elses-token"}
    assert send(editor, UPLOAD, staged).json["errors"] == {
        "audio_file_staged": ["Unknown field: it cannot be written here."]
    }
    assert editor.api("POST", UPLOAD, json={"file": "tone.m4a"}).status_code == 400
    monkeypatch.setitem(app.config, "MAX_UPLOAD_LENGTH", 1000)
    too_large = send(editor, UPLOAD, {"file": upload(corpus, "tone.m4a")})
    assert (too_large.status_code, too_large.is_json) == (413, True)
    monkeypatch.setitem(app.config, "MAX_UPLOAD_LENGTH", 50 * 1024 * 1024)
    with commits_fail():
        failed = send(
            editor, UPLOAD, {"file": upload(corpus, "tone.m4a"), "album_id": song.album_id}
        )
    assert failed.status_code == 409
    assert files_in(upload_folder) == before
    with app.app_context():
        assert db.session.scalars(select(Song.title)).all() == ["Tone in Vorbis"]
