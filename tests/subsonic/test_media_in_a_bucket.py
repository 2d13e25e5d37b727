"""stream, download and getCoverArt with the files in an S3-compatible bucket (a real
SeaweedFS server on loopback), and while that store cannot be reached."""

from pathlib import Path

import pytest

from app.extensions import db
from app.models import Album, Author, Song
from app.security.app_passwords import cipher_for, create
from tests.subsonic.conftest import Subsonic
from tests.subsonic.media_building import embedded_cover, error_code, stored_song
from tests.support.apps import add_role_users, files_in
from tests.support.network import free_port


def listener_key(app) -> str:
    """An app password of the app's Listener (lisa)."""
    add_role_users(app)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="lisa")
        return create(db.session, cipher_for(app.config), user.id, "Phone")[1]


@pytest.fixture
def s3_app(standalone_app, s3_settings):
    """An app keeping its files in the test's prefix of the bucket."""
    return standalone_app(**s3_settings)


def test_an_app_plays_and_saves_a_song_from_the_bucket(s3_app, bucket):
    """Ranges (first bytes, suffix, past the end) fetched from the object; the download's
    name; a resized cover made from the bucket's object and cached on this machine only."""
    key = listener_key(s3_app)
    song = stored_song(s3_app, "morning-light.mp3", cover=(embedded_cover(), "jpg", "image/jpeg"))
    subsonic = Subsonic(s3_app.test_client())
    length = len(song.content)
    whole = subsonic.raw("stream", apiKey=key, id=song.id)
    assert whole.data == song.content
    assert whole.headers["Accept-Ranges"] == "bytes"
    for header, start, end in [("bytes=0-99", 0, 100), ("bytes=-300", length - 300, length)]:
        subsonic.client.environ_base["HTTP_RANGE"] = header
        part = subsonic.raw("stream", post=True, apiKey=key, id=song.id)
        assert part.status_code == 206, header
        assert part.data == song.content[start:end]
        assert part.headers["Content-Range"] == f"bytes {start}-{end - 1}/{length}"
    subsonic.client.environ_base["HTTP_RANGE"] = f"bytes={length}-"
    assert subsonic.raw("stream", apiKey=key, id=song.id).status_code == 416
    subsonic.client.environ_base.pop("HTTP_RANGE")
    saved = subsonic.raw("download", apiKey=key, id=song.id)
    assert saved.data == song.content
    assert saved.headers["Content-Disposition"] == 'attachment; filename="Tone in Vorbis.mp3"'
    small = subsonic.raw("getCoverArt", apiKey=key, id=song.id, size=50)
    assert small.status_code == 200
    assert small.mimetype == "image/jpeg"
    [entry] = files_in(Path(s3_app.config["UPLOAD_FOLDER"]))
    assert entry.parent.name == "cover-sizes"
    assert entry.read_bytes() == small.data
    assert not any("cache" in name for name in bucket.listing())


def test_an_unreachable_store_is_error_0_with_503(standalone_app, s3_settings, monkeypatch):
    """With the object store down, stream, download and getCoverArt (whole or resized)
    answer Subsonic's error 0 with HTTP 503 and Retry-After: never a server error."""
    down = {**s3_settings, "S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}
    app = standalone_app(**down)
    monkeypatch.setitem(app.config, "S3_CONNECT_TIMEOUT", 1)
    key = listener_key(app)
    with app.app_context():
        album = Album(title="Kept", author=Author(name="Earlier"), cover_file="c.jpg",
                      cover_mime_type="image/jpeg")  # fmt: skip
        song = Song(title="Kept", album=album, audio_file="kept.ogg",
                    original_filename="kept.ogg", mime_type="audio/ogg")  # fmt: skip
        db.session.add(song)
        db.session.commit()
        song_id, album_id = song.id, album.id
    subsonic = Subsonic(app.test_client())
    for method, params in [("stream", {"id": f"tr-{song_id}"}),
                           ("download", {"id": f"tr-{song_id}"}),
                           ("getCoverArt", {"id": f"al-{album_id}"}),
                           ("getCoverArt", {"id": f"al-{album_id}", "size": 64})]:  # fmt: skip
        answer = subsonic.raw(method, apiKey=key, f="json", **params)
        assert answer.status_code == 503, (method, params)
        assert answer.headers["Retry-After"] == "30"
        assert error_code(answer.json["subsonic-response"]) == 0
