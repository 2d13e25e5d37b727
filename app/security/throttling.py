"""Rate limits applied to the account views (their values: app/settings/rate_limits.py):
per client address and per named account; our own counts beside Flask-Limiter's (login
failures, exports), kept while Redis is down."""

import logging
from collections.abc import Callable
from typing import TypeVar

from flask import current_app, request
from flask_appbuilder.utils.limit import Limit
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits.errors import StorageError
from limits.strategies import RateLimiter
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

log = logging.getLogger(__name__)
Counted = TypeVar("Counted")


def account_key(field: str):
    """A key function naming the account a form posts (case-insensitive)."""

    def key() -> str:
        return f"account:{field}:{request.form.get(field, '').strip().casefold()}"

    return key


def user_or_address(kind: str) -> str:
    """A limit key naming the signed-in user, else the client's address. Limits run before
    the view: while the database is down the user cannot be loaded, and the error must not
    come from here (Flask-Limiter would take it for its own store failing and count in
    memory), so the request is keyed by its address and the view answers its 503."""
    try:
        user_id = current_user.id if current_user.is_authenticated else None
    except SQLAlchemyError:
        db.session.rollback()
        user_id = None
    if user_id is not None:
        return f"{kind}:user:{user_id}"
    return f"{kind}:address:{get_remote_address()}"


def own_keys(*parts: str) -> tuple[str, ...]:
    """Key parts for a count kept beside Flask-Limiter's, with this install's
    RATELIMIT_KEY_PREFIX (which Flask-Limiter adds to its own keys only): installs and test
    runs sharing one Redis keep their counts apart."""
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX")
    return (prefix, *parts) if prefix else parts


def configured(name: str):
    """A limit value read from the config at request time, so tests can tighten it."""
    return lambda: current_app.config[name]


def post_limits(per_address: str, per_account: str | None = None, field: str = "email"):
    """Limits on a view's POSTs: per address, and per account when a form names one."""
    limits = [Limit(configured(per_address), key_func=get_remote_address, methods=["POST"])]
    if per_account:
        limits.append(Limit(configured(per_account), key_func=account_key(field), methods=["POST"]))
    return limits


def store_failures(limiter: Limiter) -> tuple[type[BaseException], ...]:
    """What the rate-limit store raises when it cannot be reached (Redis's errors)."""
    # The configured store's, not the in-memory fallback's that limiter.limiter may be now.
    raised = limiter.storage.base_exceptions
    return (StorageError, *(raised if isinstance(raised, tuple) else (raised,)))


def own_count(count: Callable[[RateLimiter], Counted], unchecked: Counted, what: str) -> Counted:
    """`count(strategy)` for a count of our own, on the store Flask-Limiter counts in now.

    While Redis is down that is this process's memory (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED):
    a count that finds Redis down first moves the process there, with one warning, and
    Flask-Limiter moves it back once Redis answers. Without the fallback, or with limits
    off, the count is skipped: `unchecked`. `what` says what the store missed ("Export
    limits not checked").
    """
    limiter = current_app.appbuilder.sm.limiter
    if not limiter.enabled:
        return unchecked
    try:
        return count(limiter.limiter)
    except store_failures(limiter) as failure:
        if not current_app.config.get("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"):
            log.warning("%s in the rate-limit store, which failed (%s)", what, failure)
            return unchecked
        log.warning(
            "%s in the rate-limit store, which failed (%s): this process counts in its own "
            "memory until the store answers again",
            what,
            failure,
        )
        # What Flask-Limiter sets itself when one of its own limits finds the store down
        # (it has no public call for it); its requests then check the store again.
        limiter._storage_dead = True
    try:
        return count(limiter.limiter)
    except store_failures(limiter) as failure:
        log.warning("%s in the rate-limit store, which failed (%s)", what, failure)
        return unchecked
