"""Helpers for the fixtures: databases to test on, apps built on them, a form-filling client."""

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from jinja2 import StrictUndefined
from sqlalchemy import create_engine, func, make_url, select, text

from app import create_app
from app.extensions import db
from config import normalize_database_url

MIGRATIONS = Path(__file__).parents[1] / "migrations"
FIXTURES = Path(__file__).parent / "fixtures"
AUDIO = FIXTURES / "audio"
IN_CI = os.environ.get("CI", "").lower() == "true"
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
PASSWORD = "correct horse battery staple"
NEW_ACCOUNT_PASSWORD = "violet kettle mountain drum"
#: Links in emails must use this, whatever Host header a request came with.
EXTERNAL_URL = "http://setlist.example"


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


def redis_url() -> str:
    """Redis on loopback (CI provides it); skips locally, fails under CI=true without it."""
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError:
        require(False, "no Redis server on 127.0.0.1:6379")
    return url


def reset_postgres(url: str) -> None:
    """Drop everything in the public schema so migrations start from nothing."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def scratch_postgres(url: str, number: int = 0) -> str:
    """A new, empty PostgreSQL database beside the test one (dropped first if left over)."""
    admin = make_url(url)
    scratch = admin.set(database=f"{admin.database}_scratch{number or ''}")
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    engine.dispose()
    return scratch.render_as_string(hide_password=False)


def fresh_database_url(kind: str, folder: Path, scratch: bool = True, number: int = 0) -> str:
    """An empty database of the given kind; scratch keeps the session app's one intact.

    Tests that need several databases at once number them.
    """
    if kind == "sqlite":
        return f"sqlite:///{folder / f'setlist-test{number}.db'}"
    url = postgres_url()
    if scratch:
        return scratch_postgres(url, number)
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


ROLE_USERS = {"Admin": "alice", "Editor": "eddie", "Listener": "lisa"}


def add_role_users(app: Flask) -> dict[str, str]:
    """One user per role on an app (role name -> username), all with PASSWORD."""
    with app.app_context():
        sm = app.appbuilder.sm
        for role, username in ROLE_USERS.items():
            if sm.find_user(username=username) is None:
                email = f"{username}@example.org"
                sm.add_user(
                    username, username.title(), "Tester", email, sm.find_role(role), PASSWORD
                )
    return dict(ROLE_USERS)


def mail_settings(smtp_server) -> dict:
    """Settings that send the app's email to the test SMTP server."""
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_DEFAULT_SENDER": "setlist@example.org",
        "CATALOG_EXTERNAL_URL": EXTERNAL_URL,
    }


def captcha_settings(captcha_server, path: str = "/ok") -> dict:
    """Settings that turn the captcha on, checked by the loopback verify server at a path
    (/ok, /fail, /never) and drawn by its script (which solves it at once)."""
    return {
        "RECAPTCHA_ENABLED": True,
        "RECAPTCHA_PUBLIC_KEY": "test-site-key",
        "RECAPTCHA_PRIVATE_KEY": "test-secret-key",
        "RECAPTCHA_VERIFY_SERVER": f"{captcha_server.url}{path}",
        "RECAPTCHA_SCRIPT": f"{captcha_server.url}/recaptcha.js",
    }


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
        """Open a form page, then post it back with its CSRF token and the given fields.

        Extra keyword arguments (headers, base_url) go with both requests.
        """
        page = self.client.get(form_url, **kwargs)
        assert page.status_code == 200, f"{form_url} answered {page.status_code}"
        payload = {"csrf_token": csrf_token(page.get_data(as_text=True)), **data}
        return self.client.post(
            post_url or form_url, data=payload, content_type="multipart/form-data", **kwargs
        )

    def api(self, method: str, url: str, json=None, csrf: bool = True, **kwargs):
        """Call the JSON API as a script on one of the site's pages does: with the session
        cookie and, for writes, the page's CSRF token in X-CSRFToken."""
        headers = dict(kwargs.pop("headers", {}))
        if csrf and method != "GET":
            page = self.client.get("/").get_data(as_text=True)
            headers["X-CSRFToken"] = CSRF_META.search(page).group(1)
        return self.client.open(url, method=method, json=json, headers=headers, **kwargs)

    def login(self, username: str, password: str = PASSWORD) -> bool:
        """Log in through FAB's login form; True when it worked.

        FAB redirects either way: back to the login form on failure.
        """
        response = self.submit("/login/", {"username": username, "password": password})
        return response.status_code == 302 and "/login/" not in response.headers["Location"]

    def logout(self):
        """Log out with the logout page's button (a POST with its CSRF token)."""
        return self.submit("/logout/", {})


def registration_form(**fields) -> dict:
    """A filled-in registration form for a new listener; override any field."""
    return {
        "username": "newlistener",
        "first_name": "Nina",
        "last_name": "Listener",
        "email": "nina@example.org",
        "password": NEW_ACCOUNT_PASSWORD,
        "conf_password": NEW_ACCOUNT_PASSWORD,
        **fields,
    }


def row_count(app, model) -> int:
    """How many rows a table holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def files_in(folder: Path) -> list[Path]:
    """Every stored file under a folder (the covers folder included)."""
    return sorted(path for path in folder.rglob("*") if path.is_file())


@dataclass
class Bucket:
    """The objects under one prefix of a bucket, read with a plain S3 client."""

    client: object
    name: str
    prefix: str

    def listing(self) -> list[str]:
        """Every key under the prefix, relative to it, sorted."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=self.prefix
        )
        found = (item["Key"] for page in pages for item in page.get("Contents", ()))
        return sorted(key[len(self.prefix) :] for key in found)

    def read(self, key: str) -> bytes:
        """An object's bytes."""
        return self.client.get_object(Bucket=self.name, Key=self.prefix + key)["Body"].read()

    def put(self, key: str, data: bytes) -> None:
        """Write an object behind the app's back."""
        self.client.put_object(Bucket=self.name, Key=self.prefix + key, Body=data)


def same_cases_every_run(examples: int) -> settings:
    """Hypothesis settings for the suite's fuzzers: `examples` cases, the same on every run
    (CI does not flake), no deadline (a request's time is not the question)."""
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
