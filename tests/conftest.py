"""The core fixtures: a migrated app per database, users per role, clients and browsers with
CSRF; the service and catalog-data fixtures are plugins in tests/support/ (pytest_plugins)."""

import secrets
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from app.extensions import db
from app.models import Album, Author, CatalogTally, Change, PlayQueue, Setlist, Song
from app.subsonic import forget_caches as forget_subsonic_caches
from tests.support.apps import (
    MIGRATIONS,
    PASSWORD,
    ROLE_USERS,
    add_role_users,
    build_app,
    mail_settings,
)
from tests.support.databases import (
    copied_database_url,
    fresh_database_url,
    postgres_url,
    require,
    scratch_postgres,
)
from tests.support.forms import Browser

# The fixtures of real services and of catalog data live beside the helpers they use.
pytest_plugins = ["tests.support.service_fixtures", "tests.support.catalog_fixtures"]


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
        # Setlists first: their entries (and links) go with them, by the database's cascade.
        for model in (Setlist, Change, PlayQueue, Song, Album, Author, sm.registeruser_model):
            db.session.execute(delete(model))
        # The catalog's counters, emptied with it (bulk deletes pass no flush hook).
        db.session.execute(delete(CatalogTally))
        # Deleted behind the change recording's back (no running site does), which the
        # Subsonic caches key on: they are forgotten with it.
        forget_subsonic_caches()
        sm.limiter.reset()
        for user in sm.get_all_users():
            if user.username not in ROLE_USERS.values():
                sm.session.delete(user)
        db.session.commit()
    shutil.rmtree(app.config["UPLOAD_FOLDER"])
    Path(app.config["UPLOAD_FOLDER"]).mkdir()


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


@pytest.fixture
def production_env(monkeypatch) -> dict[str, str]:
    """The environment production needs to start (no self-registration), set for the test."""
    settings = {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "CATALOG_APP_PASSWORD_KEY": secrets.token_urlsafe(48),
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


@pytest.fixture(scope="session")
def migrated_template(database_kind, tmp_path_factory) -> str:
    """A database migrated to head with the roles synced, which standalone apps copy."""
    folder = tmp_path_factory.mktemp(f"template-{database_kind}")
    if database_kind == "sqlite":
        url = f"sqlite:///{folder / 'template.db'}"
    else:
        url = scratch_postgres(postgres_url(), "_template")
    app = build_app(url, folder / "uploads")
    with app.app_context():
        # PostgreSQL copies a template only while nobody is connected to it.
        db.engine.dispose()
    return url


@pytest.fixture
def standalone_app(database_kind, tmp_path, smtp_server, migrated_template):
    """Build a separate, migrated app (mail to the test server) with extra settings."""
    made = []

    def make(**overrides) -> Flask:
        settings = {**mail_settings(smtp_server), **overrides}
        number = len(made)
        database_url = copied_database_url(database_kind, migrated_template, tmp_path, number)
        app = build_app(database_url, tmp_path / f"up{number}", migrated=True, **settings)
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
