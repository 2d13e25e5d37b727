"""The shipped worker unit (deploy/setlist-worker.service) run as systemd runs it: its
ExecStart, with systemd's specifiers filled in, starts a worker named after the machine
that does the jobs an upload sends, and its KillSignal stops it warmly in time."""

import io
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from app.extensions import db
from app.jobs.workers import heartbeat_prefix
from app.models.jobs import Job
from bench.units import INSTALLED, seconds, unit_settings
from tests.jobs.workers import (
    PROJECT,
    pool_processes,
    queue_settings,
    wait_for,
    worker_environment,
)
from tests.support.apps import AUDIO, add_role_users
from tests.support.databases import redis_url
from tests.support.forms import Browser

pytestmark = pytest.mark.usefixtures("probe_only")

UNIT = PROJECT / "deploy" / "setlist-worker.service"


def systemd_words(line: str) -> list[str]:
    """An ExecStart line as systemd runs it: %H is the machine's name, %% a percent sign;
    the install folder's virtualenv is this one."""
    line = line.replace("%%", "\0").replace("%H", socket.gethostname()).replace("\0", "%")
    venv = str(Path(sys.executable).parent)
    return [word.replace(f"{INSTALLED}/.venv/bin", venv) for word in shlex.split(line)]


def test_the_shipped_unit_runs_a_worker_that_does_the_jobs(standalone_app, tmp_path):
    """Started from the unit, the worker's heartbeat carries setlist@<machine>; an upload's
    job is done by it; SIGTERM stops it within TimeoutStopSec."""
    redis_url()
    settings = unit_settings(UNIT)
    assert settings["Restart"] == ["always"]
    assert settings["KillSignal"] == ["SIGTERM"]
    app = standalone_app(**queue_settings())
    add_role_users(app)
    [line] = settings["ExecStart"]
    log = (tmp_path / "journal.log").open("wb")
    worker = subprocess.Popen(
        systemd_words(line), cwd=PROJECT, env=worker_environment(app), stdout=log, stderr=log
    )
    try:
        broker = redis.Redis.from_url(app.config["CATALOG_JOBS_BROKER_URL"])
        name = f"setlist@{socket.gethostname()}"
        wait_for(
            lambda: broker.exists(heartbeat_prefix(app.config) + name),
            message=lambda: (tmp_path / "journal.log").read_text()[-3000:],
        )
        editor = Browser(app.test_client())
        assert editor.login("eddie")
        sent = (io.BytesIO((AUDIO / "tone.ogg").read_bytes()), "tone.ogg")
        assert editor.submit("/songs/add", {"album": "", "audio_file": sent}).status_code == 302

        def done() -> list[tuple[str, str]]:
            with app.app_context():
                return [tuple(row) for row in db.session.execute(select(Job.state, Job.worker))]

        def journal() -> str:
            """What a stuck job leaves to go on: its row, the pool, the worker's log."""
            pool = pool_processes(worker) if worker.poll() is None else "exited"
            return f"{done()}; pool {pool}\n{(tmp_path / 'journal.log').read_text()[-3000:]}"

        wait_for(lambda: done() == [("done", name)], message=journal)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=seconds(settings["TimeoutStopSec"][0])) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        log.close()
