"""Jobs without a broker (development, tests): every door that adds a song runs its jobs
in-process after the commit, and their results are stored on the job rows."""

import io
import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.kinds import JobKind, register_kind
from app.media.configured_stores import song_stores
from app.media.importer import import_folder
from app.models import Song
from app.models.jobs import Job
from tests.support.apps import AUDIO

#: Only the kinds these tests count on (tests/jobs/conftest.py).
pytestmark = pytest.mark.usefixtures("probe_only")

#: What mutagen reads from tone.ogg's header (3 s of Vorbis, stereo, 44.1 kHz).
TONE = {"format": "OggVorbis", "sample_rate": 44100, "channels": 2}


def through_the_form(app, editor, tmp_path):
    """The add song page."""
    sent = (io.BytesIO((AUDIO / "tone.ogg").read_bytes()), "tone.ogg")
    assert editor.submit("/songs/add", {"album": "", "audio_file": sent}).status_code == 302


def through_the_upload_page(app, editor, tmp_path):
    """The multi-upload page's one-file endpoint."""
    sent = (io.BytesIO((AUDIO / "tone.ogg").read_bytes()), "tone.ogg")
    answer = editor.submit("/songs/upload", {"audio_file": sent}, post_url="/songs/upload/file")
    assert answer.json["status"] == "added"


def through_the_api(app, editor, tmp_path):
    """POST /api/v1/song/upload."""
    sent = {"file": (io.BytesIO((AUDIO / "tone.ogg").read_bytes()), "tone.ogg")}
    answer = editor.api(
        "POST", "/api/v1/song/upload", data=sent, content_type="multipart/form-data"
    )
    assert answer.status_code == 201


def through_the_import(app, editor, tmp_path):
    """`flask catalog import`'s work on a folder."""
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "tone.ogg").write_bytes((AUDIO / "tone.ogg").read_bytes())
    with app.app_context():
        import_folder(db.session, folder, song_stores(), app.config["FILE_ALLOWED_EXTENSIONS"])


@pytest.mark.parametrize(
    "door", [through_the_form, through_the_upload_page, through_the_api, through_the_import]
)
def test_every_door_probes_the_new_song(app, editor, tmp_path, jobs_of, door):
    """A song added by any door has its probe job done, with the file's header read."""
    door(app, editor, tmp_path)
    state, reason, result = jobs_of("Tone in Vorbis")["probe"]
    assert (state, reason) == ("done", None)
    assert {name: result[name] for name in TONE} == TONE
    assert result["duration"] == pytest.approx(3.0, abs=0.1)


def test_a_new_file_is_probed_again_and_a_deleted_song_leaves_no_job(app, editor, jobs_of, audio):
    """Replacing a song's file replaces its jobs; deleting the song deletes them."""
    through_the_form(app, editor, None)
    with app.app_context():
        song_id = db.session.scalar(select(Song.id))
    response = editor.submit(f"/songs/edit/{song_id}", {"audio_file": audio("tone.flac")})
    assert response.status_code == 302
    # The new file's tags name the song anew.
    state, _reason, result = jobs_of("Tone in FLAC")["probe"]
    assert (state, result["format"]) == ("done", "FLAC")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 1
    deleted = editor.submit("/songs/list/", {}, post_url=f"/songs/delete/{song_id}")
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_development_runs_jobs_on_a_background_thread(app, editor, jobs_of, monkeypatch):
    """Without CATALOG_JOBS_EAGER the upload answers at once and a thread does the job."""
    monkeypatch.setitem(app.config, "CATALOG_JOBS_EAGER", False)
    through_the_form(app, editor, None)
    deadline = time.monotonic() + 30
    while jobs_of("Tone in Vorbis")["probe"][0] != "done":
        assert time.monotonic() < deadline, jobs_of("Tone in Vorbis")
        time.sleep(0.1)
    assert jobs_of("Tone in Vorbis")["probe"][2]["format"] == "OggVorbis"


def test_a_kind_missing_its_program_waits_and_runs_once_it_is_there(
    app, editor, runner, jobs_of, flaky_kind
):
    """A kind whose program is missing leaves its job waiting (the song is added all the
    same); once the program is there, `analyze --missing` runs it."""
    flaky_kind.failure = None
    register_kind(JobKind("flaky", flaky_kind, available=lambda: False))
    through_the_form(app, editor, None)
    assert jobs_of("Tone in Vorbis")["flaky"][:2] == ("waiting", "waiting for ffmpeg")
    assert flaky_kind.calls == 0
    register_kind(JobKind("flaky", flaky_kind))
    assert runner.invoke(args=["catalog", "analyze", "--missing"]).exit_code == 0
    assert jobs_of("Tone in Vorbis")["flaky"][0] == "done"
