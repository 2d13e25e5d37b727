"""Where the catalog's database is, its driver, and how long to wait for it."""

import os

from app.settings.environment import BASE_DIR, env_bool, env_int


def normalize_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_settings() -> dict[str, object]:
    """DATABASE_URL (an SQLite file in instance/ by default) and the waits on the database."""
    return {
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(
            os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'setlist.db'}")
        ),
        "SQLITE_BUSY_TIMEOUT_MS": env_int("SQLITE_BUSY_TIMEOUT_MS", 5000),
        # Seconds to wait for PostgreSQL to accept a connection before the page says so.
        "DATABASE_CONNECT_TIMEOUT": env_int("DATABASE_CONNECT_TIMEOUT", 5),
    }


def refuse_private_database(database_uri: str) -> None:
    """Raise when production's workers would each keep their own SQLite catalog."""
    sqlite = database_uri.startswith("sqlite")
    if sqlite and not env_bool("CATALOG_ALLOW_SQLITE", False):
        raise RuntimeError(
            "Production keeps the catalog in a database server every app server shares: "
            "set DATABASE_URL to PostgreSQL (postgresql://user:password@host/setlist), or "
            "CATALOG_ALLOW_SQLITE=true for a single-machine install."
        )
