"""Databases to test on: PostgreSQL from TEST_DATABASE_URL, Redis on loopback, scratch
databases beside the test one; a real part missing is a skip locally, a failure in CI."""

import os
import shutil
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, make_url, text

from config import normalize_database_url

IN_CI = os.environ.get("CI", "").lower() == "true"


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


def scratch_postgres(url: str, number: int | str = 0, template: str | None = None) -> str:
    """A new PostgreSQL database beside the test one (dropped first if left over): empty,
    or a copy of the template database's URL."""
    admin = make_url(url)
    scratch = admin.set(database=f"{admin.database}_scratch{number or ''}")
    copied = f' TEMPLATE "{make_url(template).database}"' if template else ""
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{scratch.database}"{copied}'))
    engine.dispose()
    return scratch.render_as_string(hide_password=False)


def copied_database_url(kind: str, template: str, folder: Path, number: int = 0) -> str:
    """A copy of a template database (a migrated one: copying takes a fraction of
    migrating and syncing roles again)."""
    if kind == "sqlite":
        copy = folder / f"setlist-test{number}.db"
        shutil.copyfile(make_url(template).database, copy)
        return f"sqlite:///{copy}"
    return scratch_postgres(postgres_url(), number, template=template)


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
