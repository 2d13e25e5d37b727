"""Rate limits for the account views: per client address and per named account."""

from flask import current_app, request
from flask_appbuilder.utils.limit import Limit
from flask_limiter.util import get_remote_address


def account_key(field: str):
    """A key function naming the account a form posts (case-insensitive)."""

    def key() -> str:
        return f"account:{field}:{request.form.get(field, '').strip().casefold()}"

    return key


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
