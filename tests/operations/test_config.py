"""Configuration from the environment, production's refusals, SQLite's settings."""

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from config import development_secret, load_config, normalize_database_url

GOOD_SECRET = "vQ3n-Zr8Lw_f2Kd7Xy1Tb9Hs4Mc6Pj0Ge5Ua"


REGISTRATION_SETTINGS = {
    "RECAPTCHA_PUBLIC_KEY": "site-key",
    "RECAPTCHA_PRIVATE_KEY": "secret-key",
    "MAIL_SERVER": "smtp.internal",
    "MAIL_DEFAULT_SENDER": "setlist@example.org",
    "CATALOG_EXTERNAL_URL": "https://setlist.example.org",
}


@pytest.fixture
def production_env(production_env, monkeypatch):
    """The environment a production deployment with self-registration must provide."""
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    monkeypatch.delenv("CATALOG_REGISTRATION")
    for name, value in REGISTRATION_SETTINGS.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("missing", list(REGISTRATION_SETTINGS))
def test_production_registration_needs_captcha_mail_and_url(production_env, monkeypatch, missing):
    """With registration on, production names each missing captcha, mail or URL setting."""
    monkeypatch.delenv(missing)
    with pytest.raises(RuntimeError, match=missing):
        load_config("production")
    monkeypatch.setenv("CATALOG_REGISTRATION", "false")
    # Password-reset emails need the public address whether or not anyone may register.
    monkeypatch.setenv("CATALOG_EXTERNAL_URL", REGISTRATION_SETTINGS["CATALOG_EXTERNAL_URL"])
    assert load_config("production").AUTH_USER_REGISTRATION is False


def test_production_registration_with_everything_set(production_env):
    """A complete production environment enables the captcha and real email."""
    config = load_config("production")
    assert config.AUTH_USER_REGISTRATION is True
    assert config.RECAPTCHA_ENABLED is True
    assert config.MAIL_SERVER == "smtp.internal"


@pytest.mark.parametrize(
    "secret",
    [None, "", "changeme", "short-but-random-9f3a", "a" * 32, "ab" * 24, "0123456789" * 4],
)
def test_production_refuses_missing_or_guessable_secret(production_env, monkeypatch, secret):
    """Production will not start on a missing, placeholder, short or low-entropy SECRET_KEY."""
    if secret is None:
        monkeypatch.delenv("SECRET_KEY")
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config("production")


@pytest.mark.parametrize("url", ["http://setlist.example.org", "setlist.example.org"])
def test_production_refuses_insecure_links_unless_allowed(production_env, monkeypatch, url):
    """Links in emails are https:// in production, unless the operator says otherwise."""
    monkeypatch.setenv("CATALOG_EXTERNAL_URL", url)
    with pytest.raises(RuntimeError, match="CATALOG_ALLOW_INSECURE_LINKS"):
        load_config("production")
    monkeypatch.setenv("CATALOG_ALLOW_INSECURE_LINKS", "true")
    assert load_config("production").CATALOG_EXTERNAL_URL == url


def test_development_makes_its_own_secret_once(tmp_path, monkeypatch):
    """Without SECRET_KEY, development uses a random secret kept (owner-only) in instance/."""
    first = development_secret(tmp_path)
    assert first == development_secret(tmp_path)
    assert len(first) >= 48
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert development_secret(tmp_path / "elsewhere") != first
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert load_config("development").SECRET_KEY == load_config("development").SECRET_KEY
    assert load_config("development").SECRET_KEY == development_secret()


def test_production_refuses_to_guess_a_database(production_env, monkeypatch):
    """Production needs DATABASE_URL rather than silently using SQLite."""
    monkeypatch.delenv("DATABASE_URL")
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        load_config("production")


@pytest.mark.parametrize("url", ["sqlite:////srv/setlist/catalog.db", "sqlite://"])
def test_production_refuses_sqlite_unless_single_machine(production_env, monkeypatch, url):
    """Several app servers need one database server; a one-box install may opt in to SQLite."""
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(RuntimeError, match=r"DATABASE_URL.*CATALOG_ALLOW_SQLITE=true"):
        load_config("production")
    monkeypatch.setenv("CATALOG_ALLOW_SQLITE", "true")
    assert load_config("production").SQLALCHEMY_DATABASE_URI == url


@pytest.mark.parametrize("storage", [None, "memory://", "memcached://cache:11211"])
def test_production_refuses_rate_limits_kept_per_worker(production_env, monkeypatch, storage):
    """Login limits must count across workers and machines: production wants Redis."""
    if storage is None:
        monkeypatch.delenv("RATELIMIT_STORAGE_URI")
    else:
        monkeypatch.setenv("RATELIMIT_STORAGE_URI", storage)
    monkeypatch.setenv("CATALOG_ALLOW_SQLITE", "true")  # no escape hatch for this one
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI to a Redis server"):
        load_config("production")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "rediss://cache.internal:6380/1")
    assert load_config("production").RATELIMIT_STORAGE_URI.startswith("rediss://")


def test_production_hardens_cookies(production_env):
    """With a real secret, production starts with secure session cookies."""
    config = load_config("production")
    assert config.SECRET_KEY == GOOD_SECRET
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_COOKIE_HTTPONLY is True
    assert config.SESSION_COOKIE_SAMESITE == "Lax"
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://setlist@db.internal/setlist"


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    """Upload folder, size limits and public browsing are read from the environment."""
    monkeypatch.setenv("UPLOAD_FOLDER", str(tmp_path))
    monkeypatch.setenv("MAX_UPLOAD_LENGTH", "1048576")
    monkeypatch.setenv("MAX_REQUEST_LENGTH", "65536")
    monkeypatch.setenv("CATALOG_PUBLIC_BROWSE", "yes")
    config = load_config("development")
    assert (config.UPLOAD_FOLDER, config.MAX_UPLOAD_LENGTH) == (str(tmp_path), 1048576)
    assert config.MAX_CONTENT_LENGTH == 65536
    assert config.CATALOG_PUBLIC_BROWSE is True
    assert "static" not in config.UPLOAD_FOLDER


def test_the_old_name_of_the_upload_limit_still_sets_it(monkeypatch):
    """MAX_CONTENT_LENGTH, the upload limit's name before requests had their own, still
    sets the upload limit (an install's environment keeps working), not the request limit."""
    monkeypatch.delenv("MAX_UPLOAD_LENGTH", raising=False)
    monkeypatch.delenv("MAX_REQUEST_LENGTH", raising=False)
    monkeypatch.setenv("MAX_CONTENT_LENGTH", "5000000")
    config = load_config("development")
    assert (config.MAX_UPLOAD_LENGTH, config.MAX_CONTENT_LENGTH) == (5000000, 1024 * 1024)


def test_defaults_are_safe(monkeypatch):
    """By default: 200 MB uploads, 1 MiB for any other request, a private catalog, uploads
    outside static/."""
    for name in (
        "UPLOAD_FOLDER",
        "MAX_CONTENT_LENGTH",
        "MAX_UPLOAD_LENGTH",
        "MAX_REQUEST_LENGTH",
        "CATALOG_PUBLIC_BROWSE",
        "DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    config = load_config("development")
    assert config.MAX_UPLOAD_LENGTH == 200 * 1024 * 1024
    assert config.MAX_CONTENT_LENGTH == 1024 * 1024
    assert config.CATALOG_PUBLIC_BROWSE is False
    assert config.UPLOAD_FOLDER.endswith("/uploads")
    assert "/static" not in config.UPLOAD_FOLDER
    assert config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")


def test_unknown_configuration_is_named():
    """A mistyped configuration name says which ones exist."""
    with pytest.raises(ValueError, match="development, testing, production"):
        load_config("staging")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql://u@h:5432/d", "postgresql+psycopg://u@h:5432/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_use_psycopg3(given, expected):
    """Plain PostgreSQL URLs are pointed at the installed psycopg 3 driver."""
    assert normalize_database_url(given) == expected


def test_sqlite_enforces_foreign_keys_and_uses_wal(tmp_path, fresh_database):
    """Every SQLite connection enforces foreign keys, uses WAL and waits for locks."""
    url = fresh_database("sqlite")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=str(tmp_path))
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_production_can_insist_on_shared_file_storage(production_env, monkeypatch):
    """With CATALOG_REQUIRE_SHARED_STORAGE, files on this machine's disk are refused."""
    monkeypatch.setenv("CATALOG_REQUIRE_SHARED_STORAGE", "true")
    with pytest.raises(RuntimeError, match="STORAGE_BACKEND=s3 and S3_BUCKET"):
        load_config("production")
    monkeypatch.setenv("STORAGE_BACKEND", "s3")
    monkeypatch.setenv("S3_BUCKET", "setlist-files")
    monkeypatch.setenv("S3_PREFIX", "/station-a/")
    config = load_config("production")
    assert (config.S3_BUCKET, config.S3_PREFIX) == ("setlist-files", "station-a/")


@pytest.mark.parametrize(
    ("settings", "named"),
    [({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND must be one of local, s3"),
     ({"STORAGE_BACKEND": "s3"}, "STORAGE_BACKEND=s3 needs S3_BUCKET")],
)  # fmt: skip
def test_storage_settings_are_checked_at_start(monkeypatch, settings, named):
    """A mistyped backend or a bucket-less S3 stops the start, naming the setting."""
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=named):
        load_config("development")
