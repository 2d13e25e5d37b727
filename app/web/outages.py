"""What people see while a shared service is down: a readable 503 with Retry-After, drawn
without the database, on pages and JSON endpoints alike, and never a server error.

A lost database connection can surface anywhere in a request: in the view, while the page
layout loads the signed-in user, in the request log, or when the session is closed after
the answer. Each of those places is covered here, so that gunicorn's own bare 500 page
never reaches a user.
"""

import logging

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.logs import current_request_id
from app.media.file_store import StoreUnavailable
from app.web.json_answers import json_error, json_requested

log = logging.getLogger(__name__)

CATALOG_UNAVAILABLE = _("The catalog is unavailable for a moment")
TRY_AGAIN = _(
    "Setlist cannot reach one of the services it needs. Nothing was changed; "
    "please try again in a minute."
)
#: Seconds a client is asked to wait before trying again.
RETRY_AFTER = 30
#: PostgreSQL's states for a server that is gone or not taking connections; None is no
#: answer at all (refused, reset, timed out).
CONNECTION_LOST_STATES = {None, "57P01", "57P02", "57P03", "08000", "08001", "08003", "08006"}


def register_outage_pages(app: Flask) -> None:
    """Answer 503 for an unreachable database or file store, and close each request's
    database session without letting a dead connection fail the answer."""
    app.register_error_handler(DBAPIError, database_unavailable)
    app.register_error_handler(StoreUnavailable, store_unavailable)
    # Registered after Flask-SQLAlchemy's, so it runs first: that one would raise.
    app.teardown_appcontext(close_session)


def is_outage(error: BaseException | None) -> bool:
    """Whether an exception means a shared service is unreachable (not a bug of ours)."""
    if isinstance(error, StoreUnavailable):
        return True
    return isinstance(error, DBAPIError) and (
        error.connection_invalidated or is_connection_failure(error)
    )


def outage_behind(error: BaseException | None) -> bool:
    """Whether an exception, or one it was raised from or while handling, is an outage:
    FAB wraps database errors in its own (a DatabaseException from the original)."""
    seen = set()
    while error is not None and id(error) not in seen:
        if is_outage(error):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def is_connection_failure(error: DBAPIError) -> bool:
    """Whether the driver could not reach the server (refused, reset, timed out, closed).

    Deadlocks and cancelled statements are operational errors too, but of one request.
    """
    # Here: psycopg costs ~70 ms of every start, and a SQLite app loads it only on an error.
    from psycopg import OperationalError as PostgresOperationalError

    orig = error.orig
    return isinstance(orig, PostgresOperationalError) and orig.sqlstate in CONNECTION_LOST_STATES


def database_unavailable(error: DBAPIError):
    """A 503 when the database cannot be reached. Other database errors are bugs: they
    stay 500s, with their reference."""
    if not is_outage(error):
        raise error
    current_app.logger.error("Database unreachable: %s", type(error.orig).__name__)
    return unavailable_page()


def store_unavailable(error: StoreUnavailable):
    """A 503 when the file store cannot be reached. The request's database change is
    rolled back, so no song points at a file that was not stored; a file stored before the
    failure is an orphan that `flask catalog check-files` finds."""
    current_app.logger.error("File store unreachable: %s", error)
    return unavailable_page()


def roll_back() -> None:
    """Undo the request's database work; on a dead connection there is nothing to undo
    (the server dropped the transaction with it), so a failure here is not news."""
    try:
        db.session.rollback()
    except DBAPIError:
        log.debug("Rollback on a lost database connection failed", exc_info=True)


def close_session(_error: BaseException | None) -> None:
    """Close the request's session; if its connection is dead, forget the session instead
    of failing the answer that was already made (the pool replaces the connection)."""
    try:
        db.session.remove()
    except DBAPIError:
        log.warning("Closing a database session on a lost connection failed")
        db.session.registry.clear()


def unavailable_page():
    """The 503 page, or JSON for JSON endpoints, with Retry-After and the request id."""
    roll_back()
    retry = {"Retry-After": str(RETRY_AFTER)}
    if json_requested():
        body, status = json_error(503, f"{CATALOG_UNAVAILABLE}. {TRY_AGAIN}")
        return body, status, retry
    return standalone_page(CATALOG_UNAVAILABLE, TRY_AGAIN), 503, retry


def standalone_page(title, message) -> str:
    """A page drawn without the database: no menu, no user. Flask's context processors
    are skipped on purpose, since Flask-Login's would load the signed-in user."""
    template = current_app.jinja_env.get_template("unavailable.html")
    return template.render(
        title=str(title),
        message=str(message),
        reference=current_request_id(),
        language=str(get_locale() or "en"),
    )
