"""The task queue's Redis is down: an upload still saves its song at once (its job waits
"unsent", the failure logged), and a worker sends it by itself once Redis is back."""

import io
import time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.jobs import Job
from tests.jobs.workers import start_worker, stop_worker, wait_for
from tests.support.apps import AUDIO, add_role_users
from tests.support.forms import Browser
from tests.support.redis_server import RedisServer

pytestmark = pytest.mark.usefixtures("probe_only")

#: Nothing listens on port 1: every connection to this "Redis" is refused.
DOWN = "redis://127.0.0.1:1/0"


def upload(editor: Browser, name: str) -> int:
    """Add a song with a fixture file through the form; its id (the redirect checked)."""
    sent = (io.BytesIO((AUDIO / name).read_bytes()), name)
    started = time.monotonic()
    answer = editor.submit("/songs/add", {"album": "", "audio_file": sent})
    assert answer.status_code == 302
    assert time.monotonic() - started < 30
    return int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def job_states(app, song_id: int) -> list[str]:
    """The states of a song's jobs."""
    with app.app_context():
        return db.session.scalars(select(Job.state).where(Job.song_id == song_id)).all()


def test_an_upload_with_the_queue_down_saves_its_song(standalone_app, caplog):
    """The add form answers its redirect within seconds and the song is listed; its job
    waits "unsent", and the log says why, with no server error."""
    app = standalone_app(CATALOG_JOBS_BROKER_URL=DOWN)
    add_role_users(app)
    editor = Browser(app.test_client())
    assert editor.login("eddie")
    song_id = upload(editor, "tone.ogg")
    assert job_states(app, song_id) == ["unsent"]
    assert any("Could not send job" in record.getMessage() for record in caplog.records)
    assert editor.get(f"/songs/show/{song_id}").status_code == 200


def test_jobs_missed_while_the_queue_was_down_run_once_it_is_back(standalone_app, tmp_path):
    """Songs saved during the outage are listed as not sent on the Jobs page; when Redis
    comes back, a worker's heartbeat sends them and they are done with nobody acting, and
    a song saved after that goes the usual way."""
    broker = RedisServer().start()
    try:
        app = standalone_app(
            CATALOG_JOBS_BROKER_URL=broker.url, CATALOG_JOBS_QUEUE="missed-while-down"
        )
        add_role_users(app)
        editor = Browser(app.test_client())
        assert editor.login("eddie")
        admin = Browser(app.test_client())
        assert admin.login("alice")
        broker.stop()
        missed = [upload(editor, name) for name in ("tone.ogg", "tone.flac")]
        assert [job_states(app, song_id) for song_id in missed] == [["unsent"], ["unsent"]]
        page = admin.get("/jobs/").get_data(as_text=True)
        assert "Not sent yet" in page

        broker.start()
        worker = start_worker(
            app, "w1@test", tmp_path / "w1.log", CATALOG_JOBS_BROKER_URL=broker.url
        )
        try:
            wait_for(
                lambda: all(job_states(app, song_id) == ["done"] for song_id in missed),
                message=lambda: (
                    f"{[job_states(app, s) for s in missed]}\n"
                    + (tmp_path / "w1.log").read_text()[-3000:]
                ),
            )
            later = upload(editor, "tone.wav")
            wait_for(lambda: job_states(app, later) == ["done"])
        finally:
            stop_worker(worker)
        with app.app_context():
            attempts = db.session.scalars(select(Job.attempts).where(Job.song_id.in_(missed)))
            # Sent once when the queue came back, not once a beat.
            assert list(attempts) == [1, 1]
    finally:
        broker.stop()
