"""The task queue's Redis is down: an upload still saves its song at once (its job waits
"queued", the failure logged), and `flask catalog analyze` sends it once Redis is back."""

import io
import time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Song
from app.models.jobs import Job
from tests.support.apps import AUDIO, add_role_users
from tests.support.forms import Browser

pytestmark = pytest.mark.usefixtures("probe_only")

#: Nothing listens on port 1: every connection to this "Redis" is refused.
DOWN = "redis://127.0.0.1:1/0"


def test_an_upload_with_the_queue_down_saves_its_song(standalone_app, caplog):
    """The add form answers its redirect within seconds and the song is listed; its job
    stays queued, and the log says why, with no server error."""
    app = standalone_app(CATALOG_JOBS_BROKER_URL=DOWN)
    add_role_users(app)
    editor = Browser(app.test_client())
    assert editor.login("eddie")
    sent = (io.BytesIO((AUDIO / "tone.ogg").read_bytes()), "tone.ogg")
    started = time.monotonic()
    answer = editor.submit("/songs/add", {"album": "", "audio_file": sent})
    assert answer.status_code == 302
    assert time.monotonic() - started < 30
    with app.app_context():
        song = db.session.scalars(select(Song)).one()
        states = db.session.scalars(select(Job.state).where(Job.song_id == song.id)).all()
    assert states == ["queued"]
    assert any("Could not send job" in record.getMessage() for record in caplog.records)
    assert editor.get(f"/songs/show/{song.id}").status_code == 200
