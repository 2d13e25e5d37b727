"""A song's loudness follows its file at once: a replaced file's numbers and waveform go
with it (nothing stale in the API while the new job waits), and a song given a file that
was measured before (a kept duplicate) shows that file's numbers without a second job."""

import io

from sqlalchemy import func, select

from app.extensions import db
from app.media.file_store import LocalStore, content_sha256
from app.models import Song
from app.models.jobs import Job
from tests.jobs.test_loudness_kind import add_song, loudness_line
from tests.support.apps import AUDIO

LOUDNESS = ("loudness_lufs", "loudness_range", "true_peak_db", "track_gain_db", "track_peak")


def api_loudness(editor, song_id: int) -> tuple:
    """The song's five loudness numbers as the JSON API gives them."""
    result = editor.api("GET", f"/api/v1/song/{song_id}").json["result"]
    return tuple(result[name] for name in LOUDNESS)


def test_the_numbers_follow_the_file(app, editor, monkeypatch, upload_folder):
    """Measured; replaced while jobs wait (numbers and waveform cleared, page says it is
    analysing); measured again; then a kept duplicate of that file has its numbers at once."""
    with app.app_context():
        song_id = add_song(editor, AUDIO / "cafe-nocturne-vbr.mp3")
        first = api_loudness(editor, song_id)
        assert None not in first

        # The new file's job waits (as it does behind a busy queue).
        monkeypatch.setitem(app.config, "CATALOG_JOBS_DEFER", True)
        sent = (io.BytesIO((AUDIO / "morning-light.mp3").read_bytes()), "morning-light.mp3")
        fields = {"title": "Replaced", "album": "", "audio_file": sent}
        answer = editor.submit(f"/songs/edit/{song_id}", fields)
        assert answer.status_code == 302, answer.get_data(as_text=True)[-2000:]
        assert api_loudness(editor, song_id) == (None,) * 5
        db.session.expire_all()
        assert db.session.get(Song, song_id).waveform is None
        assert loudness_line(editor, song_id) == "Analysing…"
        assert editor.client.get(f"/songs/waveform/{song_id}").status_code == 404

        monkeypatch.setitem(app.config, "CATALOG_JOBS_DEFER", False)
        runner = app.test_cli_runner()
        assert runner.invoke(args=["catalog", "analyze", "--kind", "loudness"]).exit_code == 0
        second = api_loudness(editor, song_id)
        assert None not in second
        assert second != first

        # A kept duplicate of the measured file, added by a door that is not a form.
        monkeypatch.setitem(app.config, "CATALOG_JOBS_DEFER", True)
        original = db.session.get(Song, song_id)
        content = io.BytesIO((AUDIO / "morning-light.mp3").read_bytes())
        stored = LocalStore(upload_folder).save(content, "morning-light.mp3")
        twin = Song(
            title="Twin", album_id=original.album_id, audio_file=stored,
            original_filename="morning-light.mp3", sha256=content_sha256(content),
            kept_duplicate=True, mime_type="audio/mpeg", audio_format="MP3",
        )  # fmt: skip
        db.session.add(twin)
        db.session.commit()
        assert api_loudness(editor, twin.id) == second
        assert db.session.get(Song, twin.id).waveform == db.session.get(Song, song_id).waveform
        assert editor.client.get(f"/songs/waveform/{twin.id}").status_code == 200
        jobs = select(func.count()).select_from(Job).where(Job.kind == "loudness")
        assert db.session.scalar(jobs) == 1
