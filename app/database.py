"""Database engine tuning and schema checks that FAB and Flask-SQLAlchemy leave out."""

import logging
from pathlib import Path

from sqlalchemy import event, inspect, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

#: The last table of FAB's security schema; present once `flask db upgrade` has run.
SECURITY_SCHEMA_MARKER = "ab_permission_view_role"
#: The range of an INTEGER column on PostgreSQL (SQLite's is wider; a value past it fails too).
INTEGER_RANGE = range(-(2**31), 2**31)


def as_integer(value) -> int | None:
    """A value from a request as a whole number a database column can hold, or None.

    Ids and numbers arrive as text; "99999999999999999999" parses, then fails in the
    database with a server error ("integer out of range", an OverflowError on SQLite).
    """
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if number in INTEGER_RANGE else None


def create_sqlite_folder(database_uri: str) -> None:
    """Create the folder of a file-based SQLite database so a fresh clone just runs."""
    url = make_url(database_uri)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def engine_options(database_uri: str, connect_timeout: int) -> dict:
    """Pool settings: test a pooled connection before use, so a restarted or failed-over
    database server costs no request an error; give up connecting after a few seconds."""
    options = {"pool_pre_ping": True}
    if make_url(database_uri).get_backend_name() == "postgresql":
        options["connect_args"] = {"connect_timeout": connect_timeout}
    return options


def tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Enforce foreign keys, use WAL and wait for locks on every SQLite connection."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # In-memory databases have no journal file to switch.
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def schema_is_ready(engine: Engine) -> bool:
    """Tell whether migrations have created FAB's security tables yet; False (with one log
    line) when the database cannot be reached, so an app or a `flask` command still starts
    and says what is wrong itself instead of a start-up traceback."""
    try:
        return inspect(engine).has_table(SECURITY_SCHEMA_MARKER)
    except OperationalError as error:
        log.warning(
            "Database unreachable at start, roles not synced: %s", type(error.orig).__name__
        )
        return False


def objects_of_dialect(dialect_name: str, unmodelled=lambda _name: False):
    """An Alembic include_object hook: leave out objects marked for another database.

    Models mark them with `info={"dialect": ...}`, e.g. PostgreSQL's trigram indexes.
    Tables no model can declare (`unmodelled(name)`: SQLite's FTS5 trigram tables) too.
    """

    def include_object(obj, name, type_, reflected, _compare_to) -> bool:
        if type_ == "table" and reflected and unmodelled(name):
            return False
        only_on = getattr(obj, "info", {}).get("dialect")
        return only_on in (None, dialect_name)

    return include_object
