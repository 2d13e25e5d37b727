"""Setlist with its files in an S3-compatible bucket (a real SeaweedFS server on loopback):
uploads, streaming, downloads, deletes, file checks, import and faults, nothing on local disk."""

import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Album, Author, Song
from tests.support.apps import add_role_users, files_in, row_count
from tests.support.faults import commits_fail
from tests.support.forms import Browser
from tests.support.network import free_port

AUDIO_KEYS = "covers/"


@pytest.fixture
def s3_app(standalone_app, s3_settings, tmp_path):
    """An app keeping its files in the test's prefix of the bucket, with one user per role."""
    app = standalone_app(**s3_settings)
    add_role_users(app)
    return app


@pytest.fixture
def s3_editor(s3_app) -> Browser:
    """A logged-in editor of the S3 app."""
    editor = Browser(s3_app.test_client())
    assert editor.login("eddie")
    return editor


def song_keys(bucket) -> list[str]:
    """The song files in the bucket (covers and other areas left out)."""
    return [key for key in bucket.listing() if "/" not in key]


def upload(editor, audio, name="morning-light.mp3") -> int:
    """Add a song through the form; its id."""
    response = editor.submit("/songs/add", {"album": "", "audio_file": audio(name)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_an_upload_lands_in_the_bucket_and_nowhere_on_disk(
    s3_app, s3_editor, audio, bucket, audio_dir
):
    """The song file and the cover from its tags are objects; the upload folder stays empty."""
    song_id = upload(s3_editor, audio)
    [song_key] = song_keys(bucket)
    assert bucket.read(song_key) == (audio_dir / "morning-light.mp3").read_bytes()
    assert any(key.startswith(AUDIO_KEYS) for key in bucket.listing())
    assert files_in(Path(s3_app.config["UPLOAD_FOLDER"])) == []
    with s3_app.app_context():
        assert db.session.get(Song, song_id).audio_file == song_key


def test_streaming_from_the_bucket_honours_ranges_and_validators(s3_editor, audio, audio_dir):
    """Whole file, one range (206), an impossible range (416), unchanged (304), HEAD."""
    content = (audio_dir / "morning-light.mp3").read_bytes()
    song_id = upload(s3_editor, audio)
    url = f"/songs/stream/{song_id}"
    whole = s3_editor.get(url)
    assert (whole.status_code, whole.data) == (200, content)
    assert whole.headers["Content-Type"] == "audio/mpeg"
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert "private" in whole.headers["Cache-Control"]
    assert whole.headers["Content-Disposition"] == 'inline; filename="morning-light.mp3"'
    part = s3_editor.get(url, headers={"Range": "bytes=100-1099"})
    assert (part.status_code, part.data) == (206, content[100:1100])
    assert part.headers["Content-Range"] == f"bytes 100-1099/{len(content)}"
    tail = s3_editor.get(url, headers={"Range": "bytes=-10"})
    assert (tail.status_code, tail.data) == (206, content[-10:])
    beyond = s3_editor.get(url, headers={"Range": f"bytes={len(content)}-"})
    assert beyond.status_code == 416
    assert beyond.headers["Content-Range"] == f"bytes */{len(content)}"
    same = s3_editor.get(url, headers={"If-None-Match": whole.headers["ETag"]})
    assert (same.status_code, same.data) == (304, b"")
    stale_if_range = {"Range": "bytes=0-9", "If-Range": '"not-the-etag"'}
    assert s3_editor.get(url, headers=stale_if_range).status_code == 200
    several = s3_editor.get(url, headers={"Range": "bytes=0-9,20-29"})
    assert (several.status_code, several.data) == (200, content)
    head = s3_editor.client.head(url)
    assert (head.status_code, head.headers["Content-Length"]) == (200, str(len(content)))


def test_downloads_from_the_bucket_are_attachments_under_the_original_name(
    s3_editor, audio, audio_dir
):
    """The original name, non-ASCII included, as Werkzeug would write it."""
    song_id = upload(s3_editor, audio, "morning-light.mp3")
    download = s3_editor.get(f"/songs/download/{song_id}")
    assert download.data == (audio_dir / "morning-light.mp3").read_bytes()
    assert download.headers["Content-Disposition"] == 'attachment; filename="morning-light.mp3"'


def test_files_in_the_bucket_are_permission_checked(s3_app, s3_editor, audio):
    """An anonymous visitor gets no song file and no cover from the bucket."""
    song_id = upload(s3_editor, audio)
    with s3_app.app_context():
        album_id = db.session.get(Song, song_id).album_id
    anonymous = Browser(s3_app.test_client())
    for url in (
        f"/songs/stream/{song_id}",
        f"/songs/download/{song_id}",
        f"/albums/cover/{album_id}",
    ):
        assert anonymous.get(url).status_code in (302, 403), url
    assert s3_editor.get(f"/albums/cover/{album_id}").status_code == 200


def test_a_failed_commit_leaves_no_object(s3_app, s3_editor, audio, bucket):
    """The song's object and its cover are removed when the database refuses the row."""
    with commits_fail():
        response = s3_editor.submit(
            "/songs/add", {"album": "", "audio_file": audio("morning-light.mp3")}
        )
    assert response.status_code == 302
    assert bucket.listing() == []
    assert row_count(s3_app, Song) == 0


def test_a_replace_deletes_the_old_object_only_after_the_commit(
    s3_app, s3_editor, audio, bucket, audio_dir
):
    """A failed replace keeps the old object playing; a good one removes it."""
    song_id = upload(s3_editor, audio)
    [old_key] = song_keys(bucket)
    edit = {"title": "Changed", "album": "", "audio_file": audio("tone.flac")}
    with s3_app.app_context():
        edit["album"] = str(db.session.get(Song, song_id).album_id)
    with commits_fail():
        s3_editor.submit(f"/songs/edit/{song_id}", dict(edit))
    assert song_keys(bucket) == [old_key]
    assert s3_editor.get(f"/songs/stream/{song_id}").status_code == 200
    edit["audio_file"] = audio("tone.flac")
    s3_editor.submit(f"/songs/edit/{song_id}", edit)
    [new_key] = song_keys(bucket)
    assert new_key != old_key
    assert bucket.read(new_key) == (audio_dir / "tone.flac").read_bytes()


def test_deleting_a_song_and_its_album_removes_their_objects(s3_app, s3_editor, audio, bucket):
    """After the delete commits, the song's object goes; the album's cover goes with it."""
    song_id = upload(s3_editor, audio)
    with s3_app.app_context():
        album_id = db.session.get(Song, song_id).album_id
    s3_editor.submit("/songs/list/", {}, post_url=f"/songs/delete/{song_id}")
    assert song_keys(bucket) == []
    s3_editor.submit("/albums/list/", {}, post_url=f"/albums/delete/{album_id}")
    assert bucket.listing() == []
    assert row_count(s3_app, Album) == 0


def test_check_files_finds_orphans_and_missing_objects_and_quarantines(
    s3_app, s3_editor, audio, bucket
):
    """An object nobody refers to, a row whose object is gone, changed content; --fix moves
    the orphan under quarantine/ in the bucket."""
    song_id = upload(s3_editor, audio)
    bucket.put("stray.mp3", b"left behind")
    [song_key] = [key for key in song_keys(bucket) if key != "stray.mp3"]
    bucket.put(song_key, b"changed behind our back")
    with s3_app.app_context():
        ghost = Song(title="Ghost", album_id=db.session.get(Song, song_id).album_id,
                     audio_file="gone.mp3", original_filename="gone.mp3")  # fmt: skip
        db.session.add(ghost)
        db.session.commit()
    runner = s3_app.test_cli_runner()
    # The object was stored a moment ago: by default it is given an hour to get its row.
    recent = runner.invoke(args=["catalog", "check-files"])
    assert "orphaned" not in recent.output
    assert "1 file(s) without a row" in recent.output
    result = runner.invoke(args=["catalog", "check-files", "--grace", "0"])
    assert result.exit_code == 1
    assert "orphaned file: stray.mp3" in result.output
    assert "“Ghost” (gone.mp3)" in result.output
    assert f"content changed: song {song_id}" in result.output
    fixed = runner.invoke(args=["catalog", "check-files", "--fix", "--grace", "0"])
    assert "Moved 1 orphaned file(s)" in fixed.output
    assert "stray.mp3" not in song_keys(bucket)
    assert bucket.read("quarantine/stray.mp3") == b"left behind"


def test_import_and_demo_catalog_fill_the_bucket(s3_app, bucket, audio_dir, tmp_path):
    """`flask catalog import` and `seed-demo` store into the bucket; a re-import adds nothing."""
    library = tmp_path / "library"
    library.mkdir()
    for name in ("morning-light.mp3", "tone.flac", "tone.ogg"):
        (library / name).write_bytes((audio_dir / name).read_bytes())
    runner = s3_app.test_cli_runner()
    first = runner.invoke(args=["catalog", "import", str(library)])
    assert "Imported 3" in first.output, first.output
    stored = bucket.listing()
    assert len(song_keys(bucket)) == 3
    assert "Imported 0, skipped 3" in runner.invoke(args=["catalog", "import", str(library)]).output
    assert bucket.listing() == stored
    # The demo songs whose sample file was imported just now are not added twice.
    seeded = runner.invoke(args=["catalog", "seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    assert len(song_keys(bucket)) == row_count(s3_app, Song) > 3


def test_presigned_redirects_serve_the_object_after_the_permission_check(
    standalone_app, s3_settings, audio, audio_dir
):
    """With S3_PRESIGNED_REDIRECT the app answers a signed link that works (and honours
    Range at the store) for S3_PRESIGNED_SECONDS, to whoever holds it: logging out does not
    end it (the README says so), but gets no new one; anonymous visitors get none."""
    app = standalone_app(**s3_settings, S3_PRESIGNED_REDIRECT=True, S3_PRESIGNED_SECONDS=60)
    add_role_users(app)
    editor = Browser(app.test_client())
    assert editor.login("eddie")
    song_id = upload(editor, audio)
    answer = editor.get(f"/songs/stream/{song_id}")
    assert answer.status_code == 302
    assert answer.headers["Cache-Control"] == "no-store"
    link = answer.headers["Location"]
    assert link.startswith(s3_settings["S3_ENDPOINT_URL"] + "/")
    assert parse_qs(urlsplit(link).query)["X-Amz-Expires"] == ["60"]
    content = (audio_dir / "morning-light.mp3").read_bytes()
    with urllib.request.urlopen(link) as fetched:  # noqa: S310 - checked: the store's http URL
        assert fetched.read() == content
    ranged = urllib.request.Request(link, headers={"Range": "bytes=10-19"})  # noqa: S310
    with urllib.request.urlopen(ranged) as fetched:  # noqa: S310
        assert (fetched.status, fetched.read()) == (206, content[10:20])
    editor.logout()
    assert s3_settings["S3_ENDPOINT_URL"] not in editor.get(f"/songs/stream/{song_id}").headers.get(
        "Location", ""
    )
    with urllib.request.urlopen(link) as fetched:  # noqa: S310 - a link lives its seconds
        assert fetched.read() == content
    refused = Browser(app.test_client()).get(f"/songs/stream/{song_id}")
    assert refused.status_code in (302, 403)
    assert s3_settings["S3_ENDPOINT_URL"] not in refused.headers.get("Location", "")


def test_an_unreachable_store_is_a_503_and_saves_nothing(
    standalone_app, s3_settings, audio, monkeypatch
):
    """Upload and stream answer a readable 503 while the store is down; no song row is made."""
    app = standalone_app(**{**s3_settings, "S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"})
    monkeypatch.setitem(app.config, "S3_CONNECT_TIMEOUT", 1)
    add_role_users(app)
    editor = Browser(app.test_client())
    assert editor.login("eddie")
    response = editor.submit("/songs/add", {"album": "", "audio_file": audio("tone.ogg")})
    assert response.status_code == 503
    assert "File storage is unavailable for a moment" in response.get_data(as_text=True)
    several = {"audio_file": audio("morning-light.mp3")}
    answer = editor.submit("/songs/upload", several, post_url="/songs/upload/file")
    assert answer.status_code == 503, answer.json
    assert answer.json["message"].startswith("File storage is unavailable for a moment")
    assert row_count(app, Song) == 0
    ready = editor.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json["checks"]["storage"]["status"] == "failing"
    with app.app_context():
        assert db.session.scalars(select(Song)).all() == []
        album = Album(title="Stored before", author=Author(name="Earlier"))
        db.session.add(Song(title="Kept", album=album, audio_file="kept.ogg",
                            original_filename="kept.ogg", mime_type="audio/ogg"))  # fmt: skip
        db.session.commit()
        song_id = db.session.scalar(select(Song.id))
    stream = editor.get(f"/songs/stream/{song_id}")
    assert stream.status_code == 503
    assert stream.headers["Retry-After"] == "30"
