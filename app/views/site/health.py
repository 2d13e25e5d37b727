"""Health checks for load balancers and orchestrators.

`/health/live` says the process answers; `/health/ready` checks what a request needs (the
database, the rate-limit store, the file store) and answers 503 while one fails, so a
balancer sends traffic elsewhere. Both are unauthenticated, cheap, never rate-limited and
name no host, user or password. A process reuses its readiness answer for
HEALTH_READY_SECONDS, so a flood of probes costs one round of checks per interval.
"""

import threading
import time
from collections.abc import Callable

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text

from app.extensions import db
from app.media.configured_stores import audio_store

health = Blueprint("health", __name__, url_prefix="/health")


def register_health(app: Flask) -> None:
    """Serve the health checks (never rate-limited)."""
    app.register_blueprint(health)
    app.appbuilder.sm.limiter.exempt(health)
    app.extensions["readiness"] = ReadinessCache()


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


class RedisUnreachable(Exception):
    """The rate-limit store (Redis) did not answer: its check's error names it."""


def rate_limits_answer() -> bool:
    """The rate-limit store (Redis in production) answers, even while this process counts
    in its memory because it did not."""
    limiter = current_app.appbuilder.sm.limiter
    # limiter.storage is the configured store; limiter.limiter may be the in-memory fallback.
    if limiter.enabled and not limiter.storage.check():
        raise RedisUnreachable
    return True


def file_store_answers() -> bool:
    """The file store can be read and written."""
    return audio_store().is_reachable()


READINESS_CHECKS = {
    "database": database_answers,
    "rate_limits": rate_limits_answer,
    "storage": file_store_answers,
}


def no_store(response):
    """A health answer is about now: no cache may keep it."""
    response.cache_control.no_store = True
    return response
