"""Jobs on a real queue: the app sends them to Redis after the commit, `celery -A app.worker
worker` processes run them on the same database and store, two workers never run one job
twice, and each worker's heartbeat reaches the Jobs page."""

import io
import time

import pytest
import redis
from sqlalchemy import select

from app.extensions import db
from app.jobs.queueing import TASK_NAME
from app.models.jobs import Job
from tests.jobs.workers import BROKER, queue_settings, start_worker, stop_worker, wait_for
from tests.support.apps import AUDIO, add_role_users
from tests.support.databases import redis_url
from tests.support.forms import Browser

#: Only the kinds these tests count on (tests/jobs/conftest.py).
pytestmark = pytest.mark.usefixtures("probe_only")

FILES = ("tone.ogg", "tone.flac", "tone.wav", "tone.m4a", "morning-light.mp3")


@pytest.fixture
def queue_app(standalone_app, tmp_path):
    """An app that sends its jobs to Redis (emptied first), with users, and its log folder."""
    redis_url()  # skips locally, fails under CI=true, without Redis
    app = standalone_app(**queue_settings())
    add_role_users(app)
    return app


@pytest.fixture
def workers(queue_app, tmp_path):
    """Start named workers for the test (stopped afterwards): workers("w1", "w2")."""
    started = []

    def start(*names: str) -> None:
        for name in names:
            started.append(start_worker(queue_app, name, tmp_path / f"{name}.log"))

    yield start
    for worker in started:
        stop_worker(worker)


def upload(app, names) -> None:
    """Upload the files through the add form, as an editor."""
    editor = Browser(app.test_client())
    assert editor.login("eddie")
    for name in names:
        sent = (io.BytesIO((AUDIO / name).read_bytes()), name)
        assert editor.submit("/songs/add", {"album": "", "audio_file": sent}).status_code == 302


def jobs(app) -> list[Job]:
    """Every job row, read afresh."""
    with app.app_context():
        rows = db.session.scalars(select(Job).order_by(Job.id)).all()
        db.session.expunge_all()
        return rows


def all_done(app, count: int) -> bool:
    """Whether `count` jobs exist and are all done or failed."""
    rows = jobs(app)
    return len(rows) == count and all(row.state in ("done", "failed") for row in rows)


def test_a_worker_runs_the_uploads_jobs(queue_app, workers):
    """An upload's probe job is queued, sent after the commit and done by a worker process."""
    upload(queue_app, ["tone.ogg"])
    (job,) = jobs(queue_app)
    assert job.state == "queued"  # no worker yet: it waits in Redis
    workers("w1@test")
    wait_for(lambda: all_done(queue_app, 1), message="the worker did not run the job")
    (job,) = jobs(queue_app)
    assert (job.state, job.worker, job.attempts) == ("done", "w1@test", 1)
    assert job.result["format"] == "OggVorbis"
    admin = Browser(queue_app.test_client())
    assert admin.login("alice")
    page = admin.get("/jobs/").get_data(as_text=True)
    worker_line = " ".join(page[page.index("<strong>w1@test</strong>") :].split()[:4])
    assert worker_line == "<strong>w1@test</strong> · last heartbeat"
    assert "silent" not in page


def test_two_workers_never_run_one_job_twice(queue_app, workers):
    """Every job sent three times to two workers runs once: one claim each, done once."""
    workers("w1@test", "w2@test")
    upload(queue_app, FILES)
    celery = queue_app.extensions["celery"]
    for row in jobs(queue_app):
        for _ in range(2):
            celery.send_task(TASK_NAME, args=(row.sha256, row.kind))
    wait_for(lambda: all_done(queue_app, len(FILES)), message="jobs did not finish")
    # Let the extra copies reach the workers, which must find nothing to claim.
    broker = redis.Redis.from_url(BROKER)
    wait_for(lambda: broker.llen(queue_app.config["CATALOG_JOBS_QUEUE"]) == 0)
    time.sleep(2)  # the last copies taken need a moment to find nothing to claim
    rows = jobs(queue_app)
    assert [(row.state, row.attempts) for row in rows] == [("done", 1)] * len(FILES)
    assert {row.worker for row in rows} <= {"w1@test", "w2@test"}
