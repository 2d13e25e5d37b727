"""Health checks for load balancers and orchestrators, and the page shown when a shared
service is down.

`/health/live` says the process answers; `/health/ready` checks what a request needs (the
database, the rate-limit store, the file store) and answers 503 while one fails, so a
balancer sends traffic elsewhere. Both are unauthenticated, cheap, never rate-limited and
name no host, user or password. A process reuses its readiness answer for
HEALTH_READY_SECONDS, so a flood of probes costs one round of checks per interval.
"""

import threading
import time
from collections.abc import Callable

from flask import Blueprint, Flask, current_app, jsonify, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from psycopg import OperationalError as PostgresOperationalError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.logs import current_request_id
from app.media.storage import StoreUnavailable
from app.views.datamodels import audio_storage
from app.views.jsonapi import json_error, json_requested

health = Blueprint("health", __name__, url_prefix="/health")

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


def register_health(app: Flask) -> None:
    """Serve the health checks, and a readable 503 when the database cannot be reached."""
    app.register_blueprint(health)
    app.appbuilder.sm.limiter.exempt(health)
    app.extensions["readiness"] = ReadinessCache()
    app.register_error_handler(DBAPIError, database_unavailable)
    app.register_error_handler(StoreUnavailable, store_unavailable)


@health.get("/live")
def live():
    """The process is up and answering."""
    return no_store(jsonify(status="live"))


@health.get("/ready")
def ready():
    """Each shared service's status and the time its check took, and how many whole seconds
    ago they ran (`age`); 503 when one fails."""
    checked_at, checks = recent_checks(current_app)
    healthy = all(check["status"] == "ok" for check in checks.values())
    response = jsonify(
        status="ready" if healthy else "unavailable",
        checks=checks,
        age=int(time.monotonic() - checked_at),
    )
    response.status_code = 200 if healthy else 503
    return no_store(response)


class ReadinessCache:
    """The last round of readiness checks of this process, and a lock so that concurrent
    probes of a stale answer run one round between them, not one each."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at: float | None = None
        self.checks: dict = {}


def recent_checks(app: Flask) -> tuple[float, dict]:
    """(monotonic time of the checks, their results): rerun once HEALTH_READY_SECONDS
    have passed since the last round (every time when 0)."""
    cache = app.extensions["readiness"]
    with cache.lock:
        fresh_for = app.config["HEALTH_READY_SECONDS"]
        if cache.checked_at is None or time.monotonic() - cache.checked_at >= fresh_for:
            cache.checks = {name: run_check(check) for name, check in READINESS_CHECKS.items()}
            cache.checked_at = time.monotonic()
        return cache.checked_at, cache.checks


def run_check(check: Callable[[], bool]) -> dict:
    """{"status": "ok" or "failing", "ms": ...}; a failure names its kind, not its details
    (an error message can hold a host name or a user)."""
    started = time.perf_counter()
    try:
        passed, error = check(), None
    except Exception as failure:  # any failure of a dependency is "failing", never a 500
        passed, error = False, type(failure).__name__
    result = {"status": "ok" if passed else "failing"}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    if error:
        result["error"] = error
    return result


def database_answers() -> bool:
    """The catalog database runs a query (on a fresh or pre-pinged pooled connection)."""
    with db.engine.connect() as connection:
        return connection.scalar(text("SELECT 1")) == 1


def rate_limits_answer() -> bool:
    """The rate-limit store (Redis in production) answers."""
    return current_app.appbuilder.sm.limiter.limiter.storage.check()


def file_store_answers() -> bool:
    """The file store can be read and written."""
    return audio_storage().is_reachable()


READINESS_CHECKS = {
    "database": database_answers,
    "rate_limits": rate_limits_answer,
    "storage": file_store_answers,
}


def no_store(response):
    """A health answer is about now: no cache may keep it."""
    response.cache_control.no_store = True
    return response


def database_unavailable(error: DBAPIError):
    """A 503 page when the database cannot be reached (drawn without it: no menu, no user).

    Other database errors are bugs: they stay 500s, with their reference.
    """
    if not error.connection_invalidated and not is_connection_failure(error):
        raise error
    current_app.logger.error("Database unreachable: %s", type(error.orig).__name__)
    return unavailable_page()


def store_unavailable(error: StoreUnavailable):
    """A 503 page when the file store cannot be reached. The request's database change is
    rolled back, so no song points at a file that was not stored; a file stored before the
    failure is an orphan that `flask catalog check-files` finds."""
    current_app.logger.error("File store unreachable: %s", error)
    return unavailable_page()


def unavailable_page():
    """The 503 page, drawn without the database (no menu, no user), or JSON for JSON
    endpoints (the multi-upload page reads it)."""
    db.session.rollback()
    retry = {"Retry-After": str(RETRY_AFTER)}
    if json_requested():
        body, status = json_error(503, f"{CATALOG_UNAVAILABLE}. {TRY_AGAIN}")
        return body, status, retry
    page = render_template(
        "unavailable.html",
        title=str(CATALOG_UNAVAILABLE),
        message=str(TRY_AGAIN),
        reference=current_request_id(),
        language=str(get_locale() or "en"),
    )
    return page, 503, retry


def is_connection_failure(error: DBAPIError) -> bool:
    """Whether the driver could not reach the server (refused, reset, timed out, closed).

    Deadlocks and cancelled statements are operational errors too, but of one request.
    """
    orig = error.orig
    return isinstance(orig, PostgresOperationalError) and orig.sqlstate in CONNECTION_LOST_STATES
