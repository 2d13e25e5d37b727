"""Shared fixtures: a migrated app per database, users per role, forms with CSRF."""

import io
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jinja2 import StrictUndefined
from sqlalchemy import create_engine, delete, make_url, text

from app import create_app
from app.extensions import db
from app.media.storage import AudioStorage
from app.models import Album, Author, Song
from config import normalize_database_url

FIXTURES = Path(__file__).parent / "fixtures"
AUDIO = FIXTURES / "audio"
MIGRATIONS = Path(__file__).parents[1] / "migrations"
IN_CI = os.environ.get("CI", "").lower() == "true"
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "correct horse battery staple"
ROLE_USERS = {"Admin": "alice", "Editor": "eddie", "Listener": "lisa"}


def require(condition: bool, reason: str) -> None:
    """Skip a test for a missing real part locally; fail it under CI=true."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def postgres_url() -> str:
    """TEST_DATABASE_URL, normalised for psycopg; skips (or fails in CI) without it."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    require(bool(url), "TEST_DATABASE_URL is not set: PostgreSQL tests need it")
    return normalize_database_url(url)


def reset_postgres(url: str) -> None:
    """Drop everything in the public schema so migrations start from nothing."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def scratch_postgres(url: str) -> str:
    """A new, empty PostgreSQL database beside the test one (dropped first if left over)."""
    admin = make_url(url)
    scratch = admin.set(database=f"{admin.database}_scratch")
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    engine.dispose()
    return scratch.render_as_string(hide_password=False)


def fresh_database_url(kind: str, folder: Path, scratch: bool = True) -> str:
    """An empty database of the given kind; scratch keeps the session app's one intact."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'setlist-test.db'}"
    url = postgres_url()
    if scratch:
        return scratch_postgres(url)
    reset_postgres(url)
    return url


def build_app(database_url: str, upload_folder: Path, **overrides) -> Flask:
    """A testing app on a database, migrated to head, with roles synced."""
    upload_folder.mkdir(parents=True, exist_ok=True)
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(upload_folder),
        **overrides,
    }
    migrating = create_app("testing", **settings)
    with migrating.app_context():
        upgrade(directory=str(MIGRATIONS))
        db.engine.dispose()
    # A second app sees the migrated schema and syncs roles, as a restart would.
    app = create_app("testing", **settings)
    app.jinja_env.undefined = StrictUndefined
    return app


@pytest.fixture(scope="session")
def require_part():
    """Check for a real part a test needs: skip locally without it, fail under CI=true."""
    return require


@pytest.fixture(scope="session")
def migrations_dir() -> str:
    """The project's Alembic scripts."""
    return str(MIGRATIONS)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_kind(request) -> str:
    """Each database-backed test runs on SQLite and on PostgreSQL."""
    return request.param


@pytest.fixture(scope="session")
def app(database_kind, tmp_path_factory) -> Flask:
    """The application on a freshly migrated database of the current kind."""
    folder = tmp_path_factory.mktemp(database_kind)
    database_url = fresh_database_url(database_kind, folder, scratch=False)
    app = build_app(database_url, folder / "uploads")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def users(app) -> dict[str, str]:
    """One user per role (role name -> username), all with PASSWORD."""
    with app.app_context():
        sm = app.appbuilder.sm
        for role, username in ROLE_USERS.items():
            if sm.find_user(username=username) is None:
                sm.add_user(
                    username,
                    username.title(),
                    "Tester",
                    f"{username}@example.org",
                    sm.find_role(role),
                    PASSWORD,
                )
    return dict(ROLE_USERS)


@pytest.fixture
def upload_folder(app) -> Path:
    """The app's upload folder (emptied after every database test by clean_catalog)."""
    return Path(app.config["UPLOAD_FOLDER"])


@pytest.fixture(autouse=True)
def clean_catalog(request):
    """Empty the catalog and upload folder, drop users tests made, after each database test."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.rollback()
        for model in (Song, Album, Author):
            db.session.execute(delete(model))
        sm = app.appbuilder.sm
        for user in sm.get_all_users():
            if user.username not in ROLE_USERS.values():
                sm.session.delete(user)
        db.session.commit()
    shutil.rmtree(app.config["UPLOAD_FOLDER"])
    Path(app.config["UPLOAD_FOLDER"]).mkdir()


@pytest.fixture
def song(app, upload_folder) -> Song:
    """A stored song (with author, album and file) made directly, not through forms."""
    with app.app_context():
        storage = AudioStorage(upload_folder)
        stored_name = storage.save(io.BytesIO((AUDIO / "tone.ogg").read_bytes()), "tone.ogg")
        author = Author(name="Oscillator", country="Germany")
        album = Album(title="Test Tones", release_year=2023, author=author)
        song = Song(
            title="Tone in Vorbis",
            album=album,
            audio_file=stored_name,
            original_filename="tone.ogg",
            duration=3.0,
        )
        db.session.add(song)
        db.session.commit()
        db.session.refresh(song)
        db.session.expunge_all()
        return song


@pytest.fixture
def client(app) -> FlaskClient:
    """A test client with its own cookie jar."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for `flask ...` commands against the app."""
    return app.test_cli_runner()


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_INPUT.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


@dataclass
class Browser:
    """Drives a test client the way a person uses the site: through its forms."""

    client: FlaskClient

    def get(self, url: str, **kwargs):
        """GET a page."""
        return self.client.get(url, **kwargs)

    def submit(self, form_url: str, data: dict, post_url: str | None = None, **kwargs):
        """Open a form page, then post it back with its CSRF token and the given fields."""
        page = self.client.get(form_url)
        assert page.status_code == 200, f"{form_url} answered {page.status_code}"
        payload = {"csrf_token": csrf_token(page.get_data(as_text=True)), **data}
        return self.client.post(
            post_url or form_url, data=payload, content_type="multipart/form-data", **kwargs
        )

    def login(self, username: str, password: str = PASSWORD):
        """Log in through FAB's login form."""
        return self.submit("/login/", {"username": username, "password": password})

    def logout(self):
        """Log out."""
        return self.client.get("/logout/")


@pytest.fixture
def browser(client) -> Browser:
    """An anonymous visitor."""
    return Browser(client)


@pytest.fixture
def fresh_database(tmp_path):
    """Make an empty scratch database of a kind: fresh_database("postgresql")."""
    return lambda kind: fresh_database_url(kind, tmp_path)


@pytest.fixture
def standalone_app(database_kind, tmp_path):
    """Build a separate, migrated app with extra settings; returns a Browser on it."""
    made = []

    def make(**overrides) -> Browser:
        app = build_app(fresh_database_url(database_kind, tmp_path), tmp_path / "up", **overrides)
        made.append(app)
        return Browser(app.test_client())

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def login_as(app, users):
    """Make a fresh Browser logged in with the given role (None: anonymous)."""

    def make(role: str | None) -> Browser:
        visitor = Browser(app.test_client())
        if role is not None:
            response = visitor.login(users[role])
            assert response.status_code == 302, "login failed"
        return visitor

    return make


@pytest.fixture(scope="session")
def password() -> str:
    """The password of every role user."""
    return PASSWORD


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
