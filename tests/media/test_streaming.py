"""Streaming and downloading song files: ranges, conditional requests, permissions."""

import pytest

from app.extensions import db
from app.models import Song

SONG_FILE = "tone.ogg"


@pytest.fixture
def listener(login_as):
    """A logged-in listener."""
    return login_as("Listener")


@pytest.fixture
def content(audio_dir) -> bytes:
    """The bytes of the song fixture's file."""
    return (audio_dir / SONG_FILE).read_bytes()


def test_whole_stream_is_inline_with_type_and_validators(listener, song, content):
    """A plain GET plays inline: right type, byte ranges offered, ETag and Last-Modified."""
    response = listener.get(f"/songs/stream/{song.id}")
    assert response.status_code == 200
    assert response.data == content
    assert response.mimetype == "audio/ogg"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["ETag"]
    assert response.headers["Last-Modified"]
    assert "private" in response.headers["Cache-Control"]


@pytest.mark.parametrize(
    ("range_header", "start", "end"),
    [("bytes=0-99", 0, 100), ("bytes=1000-1999", 1000, 2000), ("bytes=-500", -500, None)],
    ids=["first-bytes", "middle", "suffix"],
)
def test_ranges_return_exactly_those_bytes(listener, song, content, range_header, start, end):
    """206 with the matching Content-Range and exactly the requested bytes."""
    response = listener.get(f"/songs/stream/{song.id}", headers={"Range": range_header})
    expected = content[start:end]
    first = start if start >= 0 else len(content) + start
    assert response.status_code == 206
    assert response.data == expected
    assert response.headers["Content-Range"] == (
        f"bytes {first}-{first + len(expected) - 1}/{len(content)}"
    )


@pytest.mark.parametrize("range_header", ["bytes=0-9,20-29", "bytes=0-0,-1", "bytes=5-,0-3"])
def test_several_ranges_get_the_whole_file(listener, song, content, range_header):
    """Several ranges at once can be met: the whole file (200), never a 416."""
    response = listener.get(f"/songs/stream/{song.id}", headers={"Range": range_header})
    assert response.status_code == 200
    assert response.data == content


def test_unsatisfiable_range_is_416(listener, song, content):
    """A range past the end of the file is refused with 416 and the real length."""
    response = listener.get(
        f"/songs/stream/{song.id}", headers={"Range": f"bytes={len(content) + 10}-"}
    )
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(content)}"


def test_conditional_requests_get_304(listener, song):
    """If-None-Match and If-Modified-Since answer 304 without the body."""
    first = listener.get(f"/songs/stream/{song.id}")
    by_etag = listener.get(
        f"/songs/stream/{song.id}", headers={"If-None-Match": first.headers["ETag"]}
    )
    by_date = listener.get(
        f"/songs/stream/{song.id}",
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )
    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert by_etag.data == b""


@pytest.mark.parametrize("endpoint", ["stream", "download"])
@pytest.mark.parametrize(
    ("role", "allowed"),
    [(None, False), ("Listener", True), ("Editor", True), ("Admin", True)],
    ids=["anonymous", "listener", "editor", "admin"],
)
def test_file_endpoints_check_permission_per_song(login_as, song, content, endpoint, role, allowed):
    """Only signed-in catalog roles get the bytes; a missing song is a 404."""
    visitor = login_as(role)
    response = visitor.get(f"/songs/{endpoint}/{song.id}")
    if allowed:
        assert response.status_code == 200
        assert response.data == content
        assert visitor.get(f"/songs/{endpoint}/{song.id + 1000}").status_code == 404
    else:
        assert response.status_code == 302
        assert "/login/" in response.headers["Location"]


def test_download_is_an_attachment_under_the_original_name(listener, song):
    """Downloads keep the uploader's file name."""
    response = listener.get(f"/songs/download/{song.id}")
    assert response.headers["Content-Disposition"] == "attachment; filename=tone.ogg"


@pytest.mark.parametrize(
    "url",
    [
        "/users/download/{name}",
        "/roles/download/{name}",
        "/songs/download/{name}",
        "/albums/download/{name}",
        "/authors/download/{name}",
    ],
)
def test_no_route_serves_a_file_by_its_stored_name(login_as, song, url):
    """FAB's generic download-by-file-name routes are gone, even for admins."""
    response = login_as("Admin").get(url.format(name=song.audio_file))
    assert response.status_code == 404


def test_pages_have_play_buttons_and_one_player(listener, song):
    """The song page and the song list carry a play button on the stream endpoint, with
    what the player bar shows, and one audio element (the bar's) per page."""
    button = f'class="btn btn-default btn-sm play-button" data-play="/songs/stream/{song.id}"'
    details = 'data-title="Tone in Vorbis" data-album="Test Tones" data-author="Oscillator"'
    for url in [f"/songs/show/{song.id}", "/songs/list/"]:
        page = listener.get(url).get_data(as_text=True)
        assert f"{button} {details}" in page, url
        assert page.count("<audio") == 1, url


@pytest.mark.parametrize("endpoint", ["stream", "download"])
def test_a_stored_name_that_leaves_the_folder_is_never_sent(
    app, listener, song, upload_folder, endpoint
):
    """Behind storage's own checks, sending refuses a row whose stored name points outside
    the upload folder (a tampered row): 404, and the outside file's bytes never leave."""
    outside = upload_folder.parent / "secret.txt"
    outside.write_bytes(b"not for listeners")
    with app.app_context():
        db.session.get(Song, song.id).audio_file = "../secret.txt"
        db.session.commit()
    response = listener.get(f"/songs/{endpoint}/{song.id}")
    assert response.status_code == 404
    assert b"not for listeners" not in response.data
