"""stream and download: a listener's app plays a song by ranges and saves it under a safe
name; who may not play is told so; nothing is counted as a play."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AppPassword, Song, SongPlay
from app.security.app_passwords import revoke
from tests.subsonic.conftest import token_params
from tests.subsonic.media_building import browse_only_key, error_code, stored_song


@pytest.fixture
def tone(app):
    """A stored Ogg song."""
    return stored_song(app)


@pytest.fixture
def listener_key(app_password) -> str:
    """The Listener's app password (used as apiKey)."""
    return app_password("Listener")


@pytest.mark.parametrize("post", [False, True], ids=["GET", "POST"])
def test_a_listener_plays_a_song_by_ranges(subsonic, tone, listener_key, post):
    """The whole file (200, Accept-Ranges), then the first bytes, a middle and a suffix
    (206 with Content-Range and exactly those bytes), with GET or a form-encoded POST."""
    whole = subsonic.raw("stream", post=post, apiKey=listener_key, id=tone.id)
    assert whole.status_code == 200
    assert whole.data == tone.content
    assert whole.mimetype == "audio/ogg"
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert "private" in whole.headers["Cache-Control"]
    # Named after the title, as a download is: the stored name never leaves the server.
    assert whole.headers["Content-Disposition"] == 'inline; filename="Tone in Vorbis.ogg"'
    length = len(tone.content)
    for header, start, end in [
        ("bytes=0-99", 0, 100),
        ("bytes=1000-1999", 1000, 2000),
        ("bytes=-500", length - 500, length),
    ]:
        subsonic.client.environ_base["HTTP_RANGE"] = header
        part = subsonic.raw("stream", post=post, apiKey=listener_key, id=tone.id)
        assert part.status_code == 206, header
        assert part.data == tone.content[start:end]
        assert part.headers["Content-Range"] == f"bytes {start}-{end - 1}/{length}"
    subsonic.client.environ_base.pop("HTTP_RANGE")


def test_a_range_past_the_end_is_416_with_the_length(subsonic, tone, listener_key):
    """A range the file cannot meet: a bare 416 naming the real length (what a player
    needs to start again), not an error body."""
    length = len(tone.content)
    subsonic.client.environ_base["HTTP_RANGE"] = f"bytes={length + 10}-"
    refused = subsonic.raw("stream", apiKey=listener_key, id=tone.id)
    assert refused.status_code == 416
    assert refused.headers["Content-Range"] == f"bytes */{length}"
    assert refused.data == b""


def test_bit_rate_and_format_that_ask_no_transcode_send_the_original(subsonic, tone, listener_key):
    """A limit on a song of unknown bitrate, format=raw, maxBitRate=0 and
    estimateContentLength give the original bytes (transcodes: test_media_transcoded.py);
    a maxBitRate that is no number is error 0."""
    for options in [{"maxBitRate": "128"}, {"format": "raw", "maxBitRate": "96"},
                    {"estimateContentLength": "true", "maxBitRate": "0"}]:  # fmt: skip
        answer = subsonic.raw("stream", apiKey=listener_key, id=tone.id, **options)
        assert answer.status_code == 200, options
        assert answer.data == tone.content
    bad = subsonic.call("stream", apiKey=listener_key, id=tone.id, maxBitRate="fast")
    assert bad["error"]["code"] == 0


def test_streaming_records_no_play(app, subsonic, tone, listener_key):
    """Playing a song whole through stream counts nothing: clients scrobble plays."""
    assert subsonic.raw("stream", apiKey=listener_key, id=tone.id).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SongPlay)) == 0


@pytest.mark.parametrize("f", ["json", "xml"])
def test_songs_that_are_not_there(app, subsonic, tone, listener_key, f):
    """No id: error 10. Malformed ids, an album's id, an unknown song: 70. A song whose
    file is gone from the store: 70, never a server error."""
    assert error_code(subsonic.call("stream", f, apiKey=listener_key)) == 10
    for bad in ["12", "tr-", "tr-01", "tr-x", tone.album, "tr-999999", "tr-1" + "0" * 30]:
        answer = subsonic.call("stream", f, apiKey=listener_key, id=bad)
        assert error_code(answer) == 70, bad
    with app.app_context():
        stored = db.session.get(Song, tone.song_id).audio_file
    (Path(app.config["UPLOAD_FOLDER"]) / stored).unlink()
    for method in ("stream", "download"):
        gone = subsonic.call(method, f, apiKey=listener_key, id=tone.id)
        assert error_code(gone) == 70, method


def test_download_is_an_attachment_named_after_the_title(app, subsonic, listener_key):
    """download sends the original bytes as an attachment named "<title>.<extension>": no
    stored name, no slash or control character from the title."""
    song = stored_song(app, "morning-light.mp3", title="Café Dawn/Dusk\r\nLive")
    answer = subsonic.raw("download", apiKey=listener_key, id=song.id)
    assert answer.status_code == 200
    assert answer.data == song.content
    named = answer.headers["Content-Disposition"]
    assert named == (
        'attachment; filename="Cafe Dawn_Dusk__Live.mp3"; '
        "filename*=UTF-8''Caf%C3%A9%20Dawn_Dusk__Live.mp3"
    )
    with app.app_context():
        stored = db.session.get(Song, song.song_id).audio_file
    assert stored.removesuffix(".mp3") not in named


def test_who_may_not_play_is_told_so(app, subsonic, tone, listener_key, users):
    """A user whose role browses but may not stream or download gets error 50 for both
    (and still sees the song), one who may stream but not download for download; a
    revoked app password is error 40 at once (44 as an apiKey)."""
    browser_key = browse_only_key(app)
    for method in ("stream", "download"):
        assert subsonic.call(method, apiKey=browser_key, id=tone.id)["error"]["code"] == 50
    assert subsonic.call("getScanStatus", apiKey=browser_key)["status"] == "ok"
    player = browse_only_key(app, "Stream only", extra=[("can_stream", "SongModelView")])
    assert subsonic.raw("stream", apiKey=player, id=tone.id).data == tone.content
    assert subsonic.call("download", apiKey=player, id=tone.id)["error"]["code"] == 50
    signed = token_params(users["Listener"], listener_key)
    assert subsonic.raw("stream", id=tone.id, **signed).status_code == 200
    with app.app_context():
        lisa = app.appbuilder.sm.find_user(username=users["Listener"])
        [row] = db.session.scalars(select(AppPassword).where(AppPassword.user_id == lisa.id))
        assert revoke(db.session, lisa.id, row.id)
    signed = token_params(users["Listener"], listener_key)
    for method in ("stream", "download"):
        assert subsonic.call(method, id=tone.id, **signed)["error"]["code"] == 40
        assert subsonic.call(method, apiKey=listener_key, id=tone.id)["error"]["code"] == 44
