"""What goes wrong with real workers: a job past its time limit fails with that reason and
nothing else waits; a worker's pool process killed mid-job leaves the job to be taken over
and done; the store down when a job runs makes it retry until the store is back."""

import os
import signal

import pytest

from app.jobs.kinds import JobKind, register_kind, unregister_kind
from tests.jobs.test_celery_worker import jobs, upload
from tests.jobs.workers import pool_processes, queue_settings, start_worker, stop_worker, wait_for
from tests.support.apps import add_role_users
from tests.support.databases import redis_url

#: Only the kinds these tests count on (tests/jobs/conftest.py).
pytestmark = pytest.mark.usefixtures("probe_only")

TEST_WORKER = "tests.jobs.worker_with_test_kinds"


@pytest.fixture
def sleepy_kind():
    """The test worker's "sleepy" kind known to the app too, so uploads queue it."""
    register_kind(JobKind("sleepy", lambda path: {}))
    yield
    unregister_kind("sleepy")


@pytest.fixture
def started(tmp_path):
    """Start workers for the test (stopped afterwards): started(app, name, **env)."""
    workers = []

    def start(app, name: str, **env: str):
        redis_url()  # skips locally, fails under CI=true, without Redis
        worker = start_worker(app, name, tmp_path / f"{name}.log", TEST_WORKER, **env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        stop_worker(worker)


def queue_app(standalone_app, **settings):
    """An app sending its jobs to the tests' Redis database (emptied first), with users."""
    redis_url()
    app = standalone_app(**queue_settings(), **settings)
    add_role_users(app)
    return app


def states(app) -> dict[str, tuple]:
    """Each job's kind -> (state, reason, attempts)."""
    return {job.kind: (job.state, job.reason, job.attempts) for job in jobs(app)}


def test_a_job_past_its_time_limit_fails_and_the_next_runs(
    standalone_app, started, sleepy_kind, tmp_path
):
    """A job that runs too long is stopped with a reason; the song's other job is done."""
    app = queue_app(standalone_app)
    started(app, "w1@test", SLEEPY_SECONDS="30", CATALOG_JOBS_TIME_LIMIT="2")
    upload(app, ["tone.ogg"])
    log = tmp_path / "w1@test.log"
    wait_for(
        lambda: all(s[0] in ("done", "failed") for s in states(app).values()),
        message=lambda: f"{states(app)}\n{log.read_text()[-3000:]}",
    )
    assert states(app) == {
        "probe": ("done", None, 1),
        "sleepy": ("failed", "took longer than 2 s (CATALOG_JOBS_TIME_LIMIT)", 1),
    }


def test_a_job_whose_worker_died_is_taken_over(standalone_app, started, sleepy_kind):
    """The pool process killed mid-job: the job is delivered again, taken over once no
    live worker can be running it, and done (two attempts)."""
    app = queue_app(standalone_app)
    worker = started(app, "w1@test", SLEEPY_SECONDS="3", CATALOG_JOBS_TIME_LIMIT="5")
    upload(app, ["tone.ogg"])
    wait_for(lambda: states(app).get("sleepy", ("",))[0] == "running")
    for pid in pool_processes(worker):
        os.kill(pid, signal.SIGKILL)
    wait_for(lambda: states(app)["sleepy"][0] == "done", seconds=90, message=str(states(app)))
    assert states(app)["sleepy"] == ("done", None, 2)


def test_a_job_retries_until_the_store_is_back(standalone_app, started, s3_settings, store_line):
    """The bucket unreachable when the worker runs the job: queued again with the reason,
    tried after growing waits, done once the line is mended."""
    proxied = {"S3_ENDPOINT_URL": f"http://127.0.0.1:{store_line.port}", "S3_CONNECT_TIMEOUT": 2}
    app = queue_app(standalone_app, **{**s3_settings, **proxied})
    upload(app, ["tone.ogg"])
    store_line.cut()
    started(app, "w1@test")
    wait_for(lambda: (states(app)["probe"][1] or "").startswith("retrying: StoreUnavailable"))
    state, _reason, attempts = states(app)["probe"]
    assert (state, attempts) in (("queued", 1), ("running", 2))
    store_line.start()
    wait_for(lambda: states(app)["probe"][0] == "done", seconds=90, message=str(states(app)))
    assert states(app)["probe"][2] >= 2
