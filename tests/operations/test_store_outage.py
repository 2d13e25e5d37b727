"""Uploads while the object store is down: every door (the add and edit forms, the
multi-upload page, the JSON API) answers a plain 503 with Retry-After, keeps nothing, logs
the failure under the request id, and works again once the store is back. The store is a
real SeaweedFS server; its line is cut with a TCP proxy, the server itself keeps running."""

import logging
import re
import shutil
from pathlib import Path

import boto3
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Song
from tests.media.test_upload_staging import KEPT
from tests.support.apps import AUDIO, add_role_users, row_count
from tests.support.forms import Browser, csrf_token

STORE_DOWN = "File storage is unavailable for a moment, so nothing was saved."


@pytest.fixture
def outage_app(standalone_app, s3_settings, store_line):
    """An app keeping its files in the bucket, reached through the cuttable line."""
    proxied = {"S3_ENDPOINT_URL": f"http://127.0.0.1:{store_line.port}", "S3_CONNECT_TIMEOUT": 2}
    app = standalone_app(**{**s3_settings, **proxied})
    add_role_users(app)
    return app


@pytest.fixture
def editor(outage_app) -> Browser:
    """A logged-in editor of the app."""
    editor = Browser(outage_app.test_client())
    assert editor.login("eddie")
    return editor


def upload(name: str):
    """A form upload of a fixture file."""
    return (AUDIO / name).open("rb"), name


def add_song(editor, name: str = "morning-light.mp3") -> int:
    """Add a song from a tagged file through the form; its id."""
    return added_id(editor.submit("/songs/add", {"album": "", "audio_file": upload(name)}))


def added_id(response) -> int:
    """The id of the song a successful add form redirected to."""
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def outage_logged(caplog, response) -> bool:
    """Whether the failure was logged as an error under the answer's request id."""
    request_id = response.headers["X-Request-ID"]
    return any(
        record.levelno == logging.ERROR
        and getattr(record, "request_id", None) == request_id
        and "file store is unavailable" in record.getMessage()
        for record in caplog.records
    )


def assert_form_back(response, *values: str) -> str:
    """A 503 form page with the outage named, its reference, and the values typed."""
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    assert '<form id="model_form"' in page
    assert STORE_DOWN in page
    assert f"Reference for an administrator: {response.headers['X-Request-ID']}" in page
    for value in values:
        assert value in page
    assert "EndpointConnectionError" not in page
    return page


def test_the_add_form_comes_back_while_the_store_is_down(
    outage_app, editor, store_line, bucket, caplog
):
    """Up: a song is added. Cut: the form comes back as a 503 with what was typed, nothing
    in the database or the bucket, the failure logged. Mended: the same form adds the song."""
    first = add_song(editor)
    with outage_app.app_context():
        album_id = db.session.get(Song, first).album_id
    stored = bucket.listing()
    form = {"title": "Evening Song", "album": str(album_id), "track_number": "3", "rating": "4"}
    store_line.cut()
    down = editor.submit("/songs/add", {**form, "audio_file": upload("tone.flac")})
    page = assert_form_back(down, 'value="Evening Song"', 'value="3"', 'value="4"')
    assert re.search(rf'<option value="{album_id}" selected>', page)
    assert outage_logged(caplog, down)
    assert row_count(outage_app, Song) == 1
    assert bucket.listing() == stored
    # An error of the form's own while the store is down: both said, nothing staged.
    both = editor.submit("/songs/add", {**form, "rating": "9", "audio_file": upload("tone.flac")})
    assert_form_back(both, "Number must be between 1 and 5.")
    assert bucket.listing() == stored
    store_line.start()
    song_id = added_id(editor.submit("/songs/add", {**form, "audio_file": upload("tone.flac")}))
    played = editor.get(f"/songs/stream/{song_id}")
    assert (played.status_code, played.data) == (200, (AUDIO / "tone.flac").read_bytes())
    with outage_app.app_context():
        song = db.session.get(Song, song_id)
        assert (song.title, song.track_number, song.rating) == ("Evening Song", 3, 4)


def test_an_edit_with_a_new_file_keeps_the_old_one_while_the_store_is_down(
    outage_app, editor, store_line, bucket, caplog
):
    """The edit form comes back as a 503 with the new title; the row and its file are as they
    were, and the old file plays once the store is back; then the replacement works."""
    song_id = add_song(editor)
    with outage_app.app_context():
        before = db.session.get(Song, song_id)
        row = (before.title, before.audio_file, before.sha256, before.album_id)
    stored = bucket.listing()
    edit = {"title": "Renamed", "album": str(row[3])}
    store_line.cut()
    down = editor.submit(f"/songs/edit/{song_id}", {**edit, "audio_file": upload("tone.flac")})
    assert_form_back(down, 'value="Renamed"')
    assert outage_logged(caplog, down)
    unplayable = editor.get(f"/songs/stream/{song_id}")
    assert (unplayable.status_code, unplayable.headers["Retry-After"]) == (503, "30")
    with outage_app.app_context():
        after = db.session.get(Song, song_id)
        assert (after.title, after.audio_file, after.sha256, after.album_id) == row
    assert bucket.listing() == stored
    store_line.start()
    old = editor.get(f"/songs/stream/{song_id}")
    assert old.data == (AUDIO / "morning-light.mp3").read_bytes()
    saved = editor.submit(f"/songs/edit/{song_id}", {**edit, "audio_file": upload("tone.flac")})
    assert saved.status_code == 302
    assert editor.get(f"/songs/stream/{song_id}").data == (AUDIO / "tone.flac").read_bytes()
    assert row[1] not in bucket.listing()


def test_a_kept_file_waits_out_the_outage(outage_app, editor, store_line, bucket):
    """A file kept for a form with an error is offered again while the store is down (the
    form, as a 503, still carries it) and used once the store is back."""
    first = add_song(editor)
    with outage_app.app_context():
        album_id = str(db.session.get(Song, first).album_id)
    wrong = editor.submit(
        "/songs/add", {"album": album_id, "rating": "9", "audio_file": upload("tone.ogg")}
    )
    page = wrong.get_data(as_text=True)
    assert "Kept from your last try: tone.ogg." in page
    token = KEPT.search(page).group(1)
    stored = bucket.listing()
    store_line.cut()
    fixed = {"album": album_id, "rating": "4", "audio_file_staged": token}
    down = editor.client.post("/songs/add", data={"csrf_token": csrf_token(page), **fixed})
    again = assert_form_back(down, "Kept from your last try: tone.ogg.")
    assert KEPT.search(again).group(1) == token
    assert row_count(outage_app, Song) == 1
    assert bucket.listing() == stored
    store_line.start()
    added = editor.client.post("/songs/add", data={"csrf_token": csrf_token(again), **fixed})
    song_id = added_id(added)
    assert editor.get(f"/songs/stream/{song_id}").data == (AUDIO / "tone.ogg").read_bytes()
    assert not any(key.startswith("staged/") for key in bucket.listing())


def test_the_multi_upload_page_hears_503_for_that_file(
    outage_app, editor, store_line, bucket, caplog
):
    """The file's answer is a 503 in the page's JSON (its row shows the message), with
    Retry-After and the request id; nothing kept; once mended the same file is added."""

    def send():
        return editor.submit(
            "/songs/upload",
            {"audio_file": upload("morning-light.mp3")},
            post_url="/songs/upload/file",
        )

    store_line.cut()
    down = send()
    assert down.status_code == 503
    assert down.headers["Retry-After"] == "30"
    assert down.json["status"] == "refused"
    assert down.json["message"].startswith(STORE_DOWN)
    assert down.json["request_id"] == down.headers["X-Request-ID"]
    assert outage_logged(caplog, down)
    assert row_count(outage_app, Song) == 0
    assert bucket.listing() == []
    store_line.start()
    added = send()
    assert added.status_code == 201, added.json
    assert editor.get(added.json["url"]).status_code == 200


def test_the_api_answers_503_with_the_request_id(outage_app, editor, store_line, bucket, caplog):
    """New song and new file through the API: 503 JSON with Retry-After and the request id,
    no row, no object, the song unchanged; once mended both work."""

    def send(method: str, url: str, name: str, **fields):
        data = {"file": upload(name), **fields}
        return editor.api(method, url, data=data, content_type="multipart/form-data")

    made = send("POST", "/api/v1/song/upload", "morning-light.mp3")
    assert made.status_code == 201, made.json
    song_id, album_id = made.json["id"], str(made.json["result"]["album"]["id"])
    with outage_app.app_context():
        old_key = db.session.get(Song, song_id).audio_file
    stored = bucket.listing()
    store_line.cut()
    for method, url in (("POST", "/api/v1/song/upload"), ("PUT", f"/api/v1/song/{song_id}/file")):
        down = send(method, url, "tone.flac", album_id=album_id)
        assert down.status_code == 503, down.json
        # The API's rate limit may push Retry-After further, to the end of its window.
        assert int(down.headers["Retry-After"]) >= 30
        assert down.json["message"] == STORE_DOWN + " Please try again in a minute."
        assert down.json["request_id"] == down.headers["X-Request-ID"]
        assert outage_logged(caplog, down)
    assert row_count(outage_app, Song) == 1
    with outage_app.app_context():
        assert db.session.scalar(select(Song.audio_file)) == old_key
    assert bucket.listing() == stored
    store_line.start()
    assert send("PUT", f"/api/v1/song/{song_id}/file", "tone.flac").status_code == 200
    assert send("POST", "/api/v1/song/upload", "tone.ogg", album_id=album_id).status_code == 201
    assert row_count(outage_app, Song) == 2


def test_refused_credentials_are_an_outage_too(standalone_app, s3_settings, monkeypatch, caplog):
    """A key the store refuses (a setup mistake, not the user's) gives the same 503 form."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    # boto3's default session keeps the credentials it read first: a fresh one reads these.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    app = standalone_app(**s3_settings)
    add_role_users(app)
    editor = Browser(app.test_client())
    assert editor.login("eddie")
    form = {"title": "Lost", "album": "", "audio_file": upload("morning-light.mp3")}
    down = editor.submit("/songs/add", form)
    assert_form_back(down, 'value="Lost"')
    assert outage_logged(caplog, down)
    assert row_count(app, Song) == 0


def test_an_upload_folder_in_the_way_is_an_outage_too(standalone_app, caplog):
    """Files on local disk: an upload folder that cannot be written (here a file stands in
    its place) gives the same 503 form; once it is a folder again the upload works."""
    app = standalone_app()
    add_role_users(app)
    editor = Browser(app.test_client())
    assert editor.login("eddie")
    folder = Path(app.config["UPLOAD_FOLDER"])
    shutil.rmtree(folder)
    folder.write_text("not a folder")
    form = {"title": "Local", "album": "", "audio_file": upload("morning-light.mp3")}
    down = editor.submit("/songs/add", form)
    page = assert_form_back(down, 'value="Local"')
    assert str(folder) not in page
    assert outage_logged(caplog, down)
    assert row_count(app, Song) == 0
    folder.unlink()
    form["audio_file"] = upload("morning-light.mp3")
    song_id = added_id(editor.submit("/songs/add", form))
    assert editor.get(f"/songs/stream/{song_id}").status_code == 200
