"""A worker forks pool processes only between heartbeats: a process forked while the
heartbeat thread is inside the database or Redis keeps their locks, held by a thread it
does not have, and hangs on its first job (the job stays queued for ever)."""

import os
import signal
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from app.extensions import db
from tests.jobs.test_broker_down import job_states, upload
from tests.jobs.workers import (
    pool_processes,
    queue_settings,
    start_worker,
    stop_worker,
    wait_for,
)
from tests.support.apps import add_role_users
from tests.support.forms import Browser

pytestmark = pytest.mark.usefixtures("probe_only")

#: Long enough for a beat (one a second here) to be waiting on the held job table.
BEAT_WAITS_AFTER = 2.5
#: How long the test watches the worker not fork: the pool notices a lost process at once
#: or at its next check, every 5 s.
WATCH_SECONDS = 6.0


def test_a_lost_pool_process_is_replaced_between_beats(standalone_app, tmp_path):
    """A worker's pool process dies while the heartbeat waits inside the database: the
    worker forks its replacement only once the beat is out; then an upload's job is done by
    it, and a second upload's too."""
    app = standalone_app(**queue_settings())
    add_role_users(app)
    editor = Browser(app.test_client())
    assert editor.login("eddie")
    log = tmp_path / "worker.log"
    # A worker's SQLite would give up waiting after 5 s: this one waits for the test.
    worker = start_worker(app, "forks@test", log, SQLITE_BUSY_TIMEOUT_MS="60000")
    try:
        wait_for(lambda: pool_processes(worker) != [], message=lambda: log.read_text())
        [lost] = pool_processes(worker)
        kill_while_the_jobs_are_held(app, lost, worker, log)
        wait_for(lambda: pool_processes(worker) not in ([], [lost]), message=log.read_text)
        for name in ("tone.ogg", "tone.flac"):
            song = upload(editor, name)
            wait_for(
                lambda song=song: job_states(app, song) == ["done"],
                message=lambda song=song: f"{job_states(app, song)}\n{log.read_text()[-3000:]}",
            )
    finally:
        stop_worker(worker)


def kill_while_the_jobs_are_held(app: Flask, lost: int, worker, log: Path) -> None:
    """Hold the job table (the beat's UPDATE of unsent jobs waits), kill a pool process, and
    see no new one forked until the hold ends."""
    with app.app_context(), db.engine.connect() as holder:
        if holder.dialect.name == "postgresql":
            holder.execute(text("LOCK TABLE job IN EXCLUSIVE MODE"))
        else:
            holder.execute(text("UPDATE job SET reason = reason WHERE 0 = 1"))
        time.sleep(BEAT_WAITS_AFTER)
        os.kill(lost, signal.SIGKILL)
        deadline = time.monotonic() + WATCH_SECONDS
        while time.monotonic() < deadline:
            assert set(pool_processes(worker)) <= {lost}, log.read_text()[-3000:]
            time.sleep(0.1)
        holder.rollback()
