"""Transcoded streams on the web: the first request streams while FFmpeg encodes, later ones
are ranged from the cache; the cache follows the songs (deletes, kept duplicates,
check-files); a bad profile, an undecodable file, a missing permission and a store outage
each get their answer."""

import io
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audio_analysis.transcoding import PROFILES
from app.extensions import db
from app.media import transcodes as transcodes_module
from app.media.file_store import LocalStore, content_sha256
from app.media.transcodes import Busy, FreshTranscode, cached_name
from app.models import Album, Author, Song
from tests.support.apps import add_role_users
from tests.support.forms import Browser
from tests.support.generated_audio import noise_song, probe


@pytest.fixture(scope="module")
def noise(tmp_path_factory) -> Path:
    """A 10-second 256 kbit/s MP3 made once for the module."""
    return noise_song(tmp_path_factory.mktemp("noise"))


def upload(browser, noise: Path, **fields) -> int:
    """Add the noise song through the form; its id."""
    data = {"album": "", "audio_file": (io.BytesIO(noise.read_bytes()), "noise.mp3"), **fields}
    response = browser.submit("/songs/add", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def transcodes(upload_folder: Path) -> list[str]:
    """Every file in the transcodes area, part files included."""
    folder = upload_folder / "transcodes"
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


def first_request(listener, url: str, upload_folder: Path) -> bytes:
    """Stream an uncached profile: a chunked 200 without ranges, nothing new cached until
    the last byte is read; the bytes."""
    before = transcodes(upload_folder)
    response = listener.get(url, buffered=False)
    assert response.status_code == 200
    assert "Content-Length" not in response.headers
    assert response.headers["Accept-Ranges"] == "none"
    chunks = iter(response.response)
    received = [next(chunks)]
    assert transcodes(upload_folder) == before  # not cached while being made
    received += list(chunks)
    response.close()
    assert len(transcodes(upload_folder)) == len(before) + 1
    return b"".join(received)


def test_a_listener_streams_transcodes_and_the_cache_follows_the_songs(
    app, login_as, runner, noise, audio, upload_folder, tmp_path
):
    """Opus 96 then MP3 128 stream while made and decode to their codec and bitrate; again,
    they come from the cache by ranges (206, 304); a bad profile is 400; who may not play
    gets what the original gives; a client that leaves caches nothing; a kept duplicate
    keeps the shared transcodes when its twin goes; check-files counts them and removes an
    orphan; a new file for the last song drops them, and its deletion drops its own."""
    admin, listener = login_as("Admin"), login_as("Listener")
    first_id = upload(admin, noise)
    with app.app_context():
        sha256 = db.session.get(Song, first_id).sha256
    for name in ("opus-96", "mp3-128"):
        profile, url = PROFILES[name], f"/songs/stream/{first_id}?profile={name}"
        data = first_request(listener, url, upload_folder)
        probed = probe(data, tmp_path)
        assert probed["codec_name"] == profile.codec_name
        assert int(probed["bit_rate"]) == pytest.approx(profile.bitrate, rel=0.10)
        cached = (upload_folder / "transcodes" / cached_name(sha256, profile)).read_bytes()
        part = listener.get(url, headers={"Range": "bytes=100-1099"})
        assert part.status_code == 206
        assert part.mimetype == profile.content_type
        assert part.data == cached[100:1100]
        assert part.headers["Content-Range"] == f"bytes 100-1099/{len(cached)}"
        again = listener.get(url, headers={"If-None-Match": part.headers["ETag"]})
        assert again.status_code == 304
    for bad in ("flac", "", "..%2Fopus-96.opus"):
        refused = listener.get(f"/songs/stream/{first_id}?profile={bad}")
        assert refused.status_code == 400
        assert "There is no stream profile" in refused.get_data(as_text=True)
    stranger = Browser(app.test_client())
    original = stranger.get(f"/songs/stream/{first_id}")
    assert original.status_code in (302, 403)
    transcoded = stranger.get(f"/songs/stream/{first_id}?profile=opus-96")
    assert transcoded.status_code == original.status_code
    assert (transcoded.location or "").split("?")[0] == (original.location or "").split("?")[0]
    # A client that leaves after the first bytes: no cached file, no part file.
    left = listener.get(f"/songs/stream/{first_id}?profile=mp3-192", buffered=False)
    next(iter(left.response))
    left.close()
    assert len(transcodes(upload_folder)) == 2
    twin_id = upload(admin, noise, force_duplicate="y")
    admin.submit("/songs/list/", {}, post_url=f"/songs/delete/{first_id}")
    assert transcodes(upload_folder) == [
        cached_name(sha256, PROFILES["mp3-128"]),
        cached_name(sha256, PROFILES["opus-96"]),
    ]
    orphan = upload_folder / "transcodes" / cached_name("f" * 64, PROFILES["opus-96"])
    orphan.write_bytes(b"a transcode of a file nobody has")
    found = runner.invoke(args=["catalog", "check-files", "--grace", "0"])
    assert found.exit_code == 1
    assert "3 cached transcode(s)." in found.output
    assert f"orphaned transcode: {orphan.name}" in found.output
    fixed = runner.invoke(args=["catalog", "check-files", "--grace", "0", "--fix"])
    assert "Removed 1 orphaned transcode(s)." in fixed.output
    assert not orphan.exists()
    clean = runner.invoke(args=["catalog", "check-files", "--grace", "0"])
    assert (clean.exit_code, "2 cached transcode(s).") == (0, clean.output.splitlines()[0])
    # The twin gets another file: the old file's transcodes have no song left.
    with app.app_context():
        album_id = db.session.get(Song, twin_id).album_id
    replaced = admin.submit(
        f"/songs/edit/{twin_id}",
        {"title": "Tone", "album": str(album_id), "audio_file": audio("tone.ogg")},
    )
    assert replaced.status_code == 302
    assert transcodes(upload_folder) == []
    assert listener.get(f"/songs/stream/{twin_id}?profile=opus-96").data  # read whole
    assert len(transcodes(upload_folder)) == 1
    admin.submit("/songs/list/", {}, post_url=f"/songs/delete/{twin_id}")
    assert transcodes(upload_folder) == []


def test_a_file_that_cannot_be_decoded_is_refused_and_still_plays(
    app, login_as, upload_folder, monkeypatch
):
    """An undecodable file asked for transcoded: a readable 422 saying the original still
    plays, nothing cached; the original is sent as ever. With every encoding slot taken, a
    first request is a 503 with Retry-After."""
    content = b"ID3" + bytes(4000)
    with app.app_context():
        stored = LocalStore(upload_folder).save(io.BytesIO(content), "broken.mp3")
        song = Song(
            title="Broken", audio_file=stored, original_filename="broken.mp3",
            sha256=content_sha256(io.BytesIO(content)), mime_type="audio/mpeg",
            album=Album(title="Damaged", author=Author(name="Nobody")),
        )  # fmt: skip
        db.session.add(song)
        db.session.commit()
        song_id = song.id
    listener = login_as("Listener")
    refused = listener.get(f"/songs/stream/{song_id}?profile=opus-96")
    assert refused.status_code == 422
    assert "The original file still plays" in refused.get_data(as_text=True)
    assert transcodes(upload_folder) == []
    assert listener.get(f"/songs/stream/{song_id}").data == content
    monkeypatch.setattr(transcodes_module, "ENCODES", threading.BoundedSemaphore(1))
    transcodes_module.ENCODES.acquire()
    busy = listener.get(f"/songs/stream/{song_id}?profile=mp3-128")
    assert (busy.status_code, busy.headers["Retry-After"]) == (503, "10")
    assert "Too many songs are being converted" in busy.get_data(as_text=True)


def test_two_first_requests_at_once_leave_one_whole_transcode(noise, tmp_path, monkeypatch):
    """Two requests encoding one profile side by side: each gets a whole stream, and the
    cache holds one of them, whole, with no part file left. A third while both encode
    finds no free slot (two here) and is told so (Busy); once they end, slots are free."""
    monkeypatch.setattr(transcodes_module, "ENCODES", threading.BoundedSemaphore(2))
    audio = LocalStore(tmp_path / "store")
    stored = audio.save(io.BytesIO(noise.read_bytes()), "noise.mp3")
    sha256, profile = audio.sha256(stored), PROFILES["mp3-128"]
    streams = [FreshTranscode(audio, stored, sha256, profile, 10) for _ in range(2)]
    with pytest.raises(Busy):
        FreshTranscode(audio, stored, sha256, profile, 10)
    results: list[bytes] = [b"", b""]

    def read(number: int) -> None:
        results[number] = b"".join(streams[number])

    threads = [threading.Thread(target=read, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    cached = audio.area("transcodes")
    assert sorted(cached.stored_names()) == [cached_name(sha256, profile)]
    assert sorted(path.name for path in cached.folder.iterdir()) == [cached_name(sha256, profile)]
    assert b"".join(cached.read(cached_name(sha256, profile))) in results
    assert len(results[0]) == len(results[1]) > 100_000
    FreshTranscode(audio, stored, sha256, profile, 10).close()


def test_a_transcode_is_cached_in_the_bucket_and_an_outage_is_a_503(
    standalone_app, s3_settings, store_line, bucket, noise, tmp_path
):
    """With the files in a bucket: the first request's transcode becomes an object beside
    the song's, ranged from there; with the store cut off, a transcode is a 503."""
    endpoint = f"http://127.0.0.1:{store_line.port}"
    app = standalone_app(**{**s3_settings, "S3_ENDPOINT_URL": endpoint})
    app.config["S3_CONNECT_TIMEOUT"] = 1
    add_role_users(app)
    editor = Browser(app.test_client())
    assert editor.login("eddie")
    song_id = upload(editor, noise)
    with app.app_context():
        sha256 = db.session.scalar(select(Song.sha256).where(Song.id == song_id))
    url = f"/songs/stream/{song_id}?profile=opus-96"
    streamed = editor.get(url)
    assert streamed.status_code == 200
    data = streamed.data  # read to the end: then it is cached
    key = f"transcodes/{cached_name(sha256, PROFILES['opus-96'])}"
    assert bucket.read(key) == data
    part = editor.get(url, headers={"Range": "bytes=0-99"})
    assert (part.status_code, part.data) == (206, data[:100])
    store_line.cut()
    down = editor.get(url)
    assert down.status_code == 503
