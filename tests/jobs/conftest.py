"""Job fixtures: a song's jobs read back, a kind of job tests can make fail."""

from unittest.mock import patch

import pytest
from sqlalchemy import select

from app.extensions import db
from app.jobs.kinds import KINDS, JobKind, register_kind, unregister_kind
from app.models import Song
from app.models.jobs import Job


@pytest.fixture(autouse=True)
def jobs_run(analysis_runs):
    """Every jobs test sees the jobs its songs queue sent (other tests defer them)."""


@pytest.fixture
def probe_only():
    """The kinds a machinery test counts on: "probe", plus those it adds (the analysis kinds
    registered beside it have tests of their own)."""
    with patch.dict(KINDS, {"probe": KINDS["probe"]}, clear=True):
        yield


@pytest.fixture
def jobs_of(app):
    """The jobs of the song titled so, by kind: {kind: (state, reason, result)}."""

    def read(title: str) -> dict[str, tuple]:
        with app.app_context():
            song_id = db.session.scalar(select(Song.id).where(Song.title == title))
            rows = db.session.scalars(select(Job).where(Job.song_id == song_id)).all()
            return {row.kind: (row.state, row.reason, row.result) for row in rows}

    return read


class Flaky:
    """A job kind's work that fails with a reason until it is told to work."""

    def __init__(self) -> None:
        self.failure: Exception | None = ValueError("decodes to silence")
        self.calls = 0

    def __call__(self, path) -> dict:
        """The file's size, or the failure set."""
        self.calls += 1
        if self.failure is not None:
            raise self.failure
        return {"size": path.stat().st_size}


@pytest.fixture
def flaky_kind():
    """A registered kind "flaky" (removed afterwards) whose failure the test sets."""
    work = Flaky()
    register_kind(JobKind("flaky", work))
    yield work
    unregister_kind("flaky")
