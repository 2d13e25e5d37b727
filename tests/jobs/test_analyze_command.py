"""`flask catalog analyze`: songs written before jobs existed get theirs, failed jobs run
again, done ones are left alone unless --all; without a task queue they run right there."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from app.extensions import db
from app.models import Song
from app.models.jobs import Job, now

#: Only the kinds these tests count on (tests/jobs/conftest.py).
pytestmark = pytest.mark.usefixtures("probe_only")


def analyze(runner, *options: str) -> str:
    """Run the command; its output (it must succeed)."""
    result = runner.invoke(args=["catalog", "analyze", *options])
    assert result.exit_code == 0, result.output
    return result.output


def forget_jobs(app) -> None:
    """Delete every job row, as on a catalog from before migration 0020."""
    with app.app_context():
        db.session.execute(text("DELETE FROM job"))
        db.session.commit()


def test_missing_jobs_are_run_and_done_ones_left_alone(app, runner, song, jobs_of, flaky_kind):
    """A song without jobs gets them; a failure runs again until mended; --all reruns."""
    forget_jobs(app)
    output = analyze(runner, "--missing")
    assert "2 job(s) of 1 song(s) run." in output
    assert jobs_of("Tone in Vorbis")["probe"][0] == "done"
    assert jobs_of("Tone in Vorbis")["flaky"][:2] == ("failed", "ValueError: decodes to silence")

    flaky_kind.failure = None
    assert "1 job(s) of 1 song(s) run." in analyze(runner)
    assert jobs_of("Tone in Vorbis")["flaky"][0] == "done"
    assert "0 job(s) of 0 song(s) run." in analyze(runner)
    assert flaky_kind.calls == 2

    assert "1 job(s) of 1 song(s) run." in analyze(runner, "--all", "--kind", "flaky")
    assert flaky_kind.calls == 3
    with app.app_context():
        attempts = db.session.scalars(select(Job.attempts).order_by(Job.kind)).all()
    assert attempts == [3, 1]  # flaky three times, probe once


def test_an_unknown_kind_is_refused(app, runner, song):
    """A misspelt kind names the known ones and queues nothing."""
    result = runner.invoke(args=["catalog", "analyze", "--kind", "loudnes"])
    assert result.exit_code == 2
    assert "known: probe" in result.output


def test_songs_without_a_file_are_skipped(app, runner, song):
    """Songs with no file (generated ones) have nothing to analyse."""
    with app.app_context():
        db.session.execute(text("DELETE FROM job"))
        db.session.get(Song, song.id).sha256 = None
        db.session.commit()
    assert "0 job(s) of 0 song(s) run." in analyze(runner)


def test_a_job_left_running_by_a_dead_worker_is_run_again(app, runner, song, jobs_of):
    """A job running for longer than any worker may is queued again; a fresh one is not."""
    with app.app_context():
        db.session.execute(update(Job).values(state="running", started_at=now()))
        db.session.commit()
    assert "0 job(s) of 0 song(s) run." in analyze(runner)
    long_ago = now() - timedelta(hours=1)
    with app.app_context():
        db.session.execute(update(Job).values(state="running", started_at=long_ago))
        db.session.commit()
    assert "1 job(s) of 1 song(s) run." in analyze(runner)
    assert jobs_of("Tone in Vorbis")["probe"][0] == "done"
