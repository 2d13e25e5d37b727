"""Fixtures of catalog data: a stored song, the audio fixture files as uploads, a generated
catalog of any size, the SQL statements a test's requests send and SQLite's VM steps."""

import io
from pathlib import Path

import pytest
from sqlalchemy import event

from app.demo.scale import CatalogSize, write_catalog
from app.extensions import db
from app.media.file_store import LocalStore, content_sha256
from app.models import Album, Author, Song
from tests.support.apps import AUDIO


@pytest.fixture
def analysis_runs(request, monkeypatch):
    """Songs added in this test get their analysis jobs run at once: tests leave them
    queued otherwise (CATALOG_JOBS_DEFER), as decoding every uploaded file costs time."""
    # The environment reaches apps made during the test and the commands it starts.
    monkeypatch.setenv("CATALOG_JOBS_DEFER", "false")
    if "app" in request.fixturenames:
        monkeypatch.setitem(request.getfixturevalue("app").config, "CATALOG_JOBS_DEFER", False)


@pytest.fixture
def song(app, upload_folder) -> Song:
    """A stored song (with author, album and file) made directly, not through forms."""
    with app.app_context():
        storage = LocalStore(upload_folder)
        content = io.BytesIO((AUDIO / "tone.ogg").read_bytes())
        stored_name = storage.save(content, "tone.ogg")
        author = Author(name="Oscillator", country="Germany")
        album = Album(title="Test Tones", release_year=2023, author=author)
        song = Song(
            title="Tone in Vorbis",
            album=album,
            audio_file=stored_name,
            original_filename="tone.ogg",
            duration=3.0,
            sha256=content_sha256(content),
            mime_type="audio/ogg",
            audio_format="Ogg",
        )
        db.session.add(song)
        db.session.commit()
        db.session.refresh(song)
        db.session.expunge_all()
        return song


@pytest.fixture(scope="session")
def audio_dir() -> Path:
    """The folder of real audio fixtures (good and bad files)."""
    return AUDIO


@pytest.fixture
def audio():
    """Make a form upload from a fixture file: audio("tone.ogg", as_name=...)."""

    def upload(name: str, as_name: str | None = None) -> tuple[io.BytesIO, str]:
        return io.BytesIO((AUDIO / name).read_bytes()), as_name or name

    return upload


@pytest.fixture
def generated_catalog(app):
    """Add generated songs with bulk SQL: generated_catalog(10_000, songs_per_album=1)."""

    def make(songs: int, **shape) -> CatalogSize:
        with app.app_context(), db.engine.begin() as connection:
            return write_catalog(connection, songs, **shape)

    return make


@pytest.fixture
def statements(app):
    """The SQL statements the app sends while the test runs (a list the test may clear)."""
    sent: list[str] = []

    def record(_connection, _cursor, statement, *_args) -> None:
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield sent
    event.remove(engine, "before_cursor_execute", record)


#: SQLite VM steps per vm_steps count.
STEPS = 100


@pytest.fixture
def vm_steps(app, database_kind):
    """SQLite's virtual machine steps (in hundreds) of each statement the app sends while
    the test runs, as [statement, steps] (the test may clear it): the work a statement
    does, counted, where time would be noise."""
    if database_kind != "sqlite":
        pytest.skip("counts SQLite's VM steps; PostgreSQL's planner weighs pg_trgm itself")
    sent: list[list] = []

    def count() -> int:
        if not sent:  # a statement sent past the events (the pool's ping at checkout)
            sent.append(["(no event)", 0])
        sent[-1][1] += 1
        return 0  # go on: an exception here would interrupt the statement

    def watch(_connection, cursor, statement, *_args) -> None:
        sent.append([statement, 0])
        cursor.connection.set_progress_handler(count, STEPS)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", watch)
    yield sent
    event.remove(engine, "before_cursor_execute", watch)
