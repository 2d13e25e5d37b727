"""Request bodies are bounded by their route: 1 MiB for forms and JSON, MAX_UPLOAD_LENGTH for
the routes that take song files; a huge login is refused before it is read."""

import io
import json
import socket
import threading
import wave
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Author, Song
from bench.harness import PROJECT, Gunicorn, Server, rss_kib

TOKEN_LOGIN = "/api/v1/security/login"
MIB = 1024 * 1024


def silent_wav(megabytes: float, frame_rate: int = 44100) -> bytes:
    """A valid WAV file of about that size (silence; the frame rate makes it unique)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as output:
        output.setnchannels(2)
        output.setsampwidth(2)
        output.setframerate(frame_rate)
        output.writeframes(bytes(int(megabytes * MIB) // 4 * 4))
    return buffer.getvalue()


def test_song_routes_take_large_bodies_only_from_those_who_may_use_them(app, login_as, song):
    """An anonymous visitor's or a listener's 1.5 MB post to the song routes is refused
    (413) without being read; an editor's is read and the song added."""
    big = {"album": str(song.album_id), "audio_file": (io.BytesIO(silent_wav(1.5)), "a.wav")}
    anonymous = login_as(None).client.post("/songs/add", data=big)
    assert anonymous.status_code == 413
    listener = login_as("Listener")
    api = listener.api(
        "POST",
        "/api/v1/song/upload",
        data={"album_id": str(song.album_id), "file": (io.BytesIO(silent_wav(1.5)), "a.wav")},
        content_type="multipart/form-data",
    )
    assert (api.status_code, api.is_json) == (413, True)
    assert "at most 1 MB" in api.json["message"]
    editor = login_as("Editor")
    big["audio_file"] = (io.BytesIO(silent_wav(1.5)), "a.wav")
    assert editor.submit("/songs/add", {**big, "title": "Allowed"}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Song.title).order_by(Song.title)).all() == [
            "Allowed",
            "Tone in Vorbis",
        ]


def test_forms_and_json_take_a_mebibyte_and_song_routes_take_files(app, editor, song):
    """A form or JSON body over 1 MiB is a readable 413 (nothing saved); a 1.5 MB song file
    still goes in through the song form, the multi-upload page and the API."""
    junk = (io.BytesIO(b"x" * (MIB + 1)), "junk.bin")
    too_big = editor.submit("/authors/add", {"name": "Padded", "junk": junk})
    page = too_big.get_data(as_text=True)
    assert too_big.status_code == 413
    assert "That request is too large" in page
    assert "This address takes at most 1 MB. Nothing was saved." in page
    long_json = editor.api("POST", "/api/v1/author/", json={"name": "Padded", "x": "y" * MIB})
    assert (long_json.status_code, long_json.is_json) == (413, True)
    login = editor.client.post(TOKEN_LOGIN, json={"username": "x" * MIB, "password": "y"})
    assert (login.status_code, login.is_json) == (413, True)

    album = str(song.album_id)
    added = editor.submit(
        "/songs/add",
        {"title": "Big form", "album": album, "audio_file": (io.BytesIO(silent_wav(1.5)), "a.wav")},
    )
    assert added.status_code == 302
    one_file = editor.submit(
        "/songs/upload",
        {"album": album, "audio_file": (io.BytesIO(silent_wav(1.5, 48000)), "b.wav")},
        post_url="/songs/upload/file",
    )
    assert one_file.status_code == 201, one_file.get_data(as_text=True)
    through_api = editor.api(
        "POST",
        "/api/v1/song/upload",
        data={"album_id": album, "file": (io.BytesIO(silent_wav(1.5, 32000)), "c.wav")},
        content_type="multipart/form-data",
    )
    assert through_api.status_code == 201, through_api.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Author.name).where(Author.name == "Padded")).all() == []
        assert len(db.session.scalars(select(Song.id)).all()) == 4


def worker_of(server: Gunicorn) -> int:
    """The process id of a one-worker gunicorn's worker."""
    master = server.process.pid
    [worker] = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(worker)


def post_raw(url: str, path: str, headers: dict, body=b"", timeout: float = 20) -> int | None:
    """POST over a plain socket, the body (bytes or an iterable of chunks) sent by a thread
    while the answer is awaited; the status, or None when none came in time."""
    host, port = url.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)), timeout=timeout)
    head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    connection.sendall(head.encode())

    def send() -> None:
        try:
            for chunk in [body] if isinstance(body, bytes) else body:
                connection.sendall(chunk)
        except OSError:
            pass  # the server answered and hung up before taking it all: as it should

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        status_line = connection.makefile("rb").readline()
    except (TimeoutError, OSError):
        status_line = b""
    finally:
        connection.close()
    sender.join(timeout=timeout)
    return int(status_line.split()[1]) if status_line.startswith(b"HTTP/") else None


def chunked(total: int, piece: bytes):
    """A body of `total` bytes in HTTP chunks (no Content-Length)."""
    for _ in range(total // len(piece)):
        yield b"%x\r\n%s\r\n" % (len(piece), piece)
    yield b"0\r\n\r\n"


@pytest.fixture(scope="module")
def one_worker():
    """gunicorn with one worker (the project's gunicorn.conf.py), development settings."""
    server = Server()  # a migrated SQLite database with an admin and the demo catalog
    gunicorn = Gunicorn(server.env, PROJECT, "--workers", "1", ready_path="/health/live")
    yield gunicorn
    gunicorn.stop()


def test_a_60_mb_login_is_refused_before_it_is_read(one_worker):
    """Form or token login, with a Content-Length or in chunks: 413 without reading the
    body, and the server process grows by less than 5 MB; the login still works after."""
    url, sixty = one_worker.url, 60 * MIB
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    as_json = {"Content-Type": "application/json"}
    # Warm up: the worker loads what any login needs before its peak is taken.
    assert post_raw(url, "/login/", {**form, "Content-Length": "9"}, b"username=") == 400
    assert post_raw(url, TOKEN_LOGIN, {**as_json, "Content-Length": "2"}, b"{}") == 422
    worker = worker_of(one_worker)
    peak_before = rss_kib(worker, "VmHWM")

    # Announced but never sent: answered at once, not after waiting for 60 MB.
    for path, kind in (("/login/", form), (TOKEN_LOGIN, as_json)):
        assert post_raw(url, path, {**kind, "Content-Length": str(sixty)}, timeout=10) == 413
    username = b"username=" + b"a" * sixty
    assert post_raw(url, "/login/", {**form, "Content-Length": str(len(username))}, username) == 413
    document = b'{"username": "' + b"a" * sixty + b'", "password": "x"}'
    sized = {**as_json, "Content-Length": str(len(document))}
    assert post_raw(url, TOKEN_LOGIN, sized, document) == 413
    in_chunks = {**as_json, "Transfer-Encoding": "chunked"}
    assert post_raw(url, TOKEN_LOGIN, in_chunks, chunked(sixty, b"[" * 65536)) == 413

    grown = rss_kib(worker, "VmHWM") - peak_before
    assert grown < 5 * 1024, f"the worker's peak memory grew by {grown} KiB"
    login = json.dumps({"username": "bench", "password": "bench password long enough"})
    sized = {**as_json, "Content-Length": str(len(login))}
    assert post_raw(url, TOKEN_LOGIN, sized, login.encode()) == 200
