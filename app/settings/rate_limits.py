"""Flask-Limiter's storage and the limits of each form and endpoint."""

import os

#: Limits per client address and, for forms naming an account, per account too.
RATE_LIMITS = {
    "RATELIMIT_LOGIN_ACCOUNT": "10 per 15 minutes",
    "RATELIMIT_LOGIN_FAILURES": "30 per hour",
    # Wrong current passwords on "Change my password", per user: a borrowed or stolen
    # session must not become a way to guess the password the login form protects.
    "RATELIMIT_PASSWORD_CHECK": "10 per 15 minutes",
    "RATELIMIT_REGISTER": "10 per hour",
    "RATELIMIT_REGISTER_ACCOUNT": "3 per hour",
    "RATELIMIT_RESEND": "10 per hour",
    "RATELIMIT_RESEND_ACCOUNT": "3 per hour",
    "RATELIMIT_FORGOT": "10 per hour",
    "RATELIMIT_FORGOT_ACCOUNT": "3 per hour",
    "RATELIMIT_ACTIVATION": "30 per hour",
    # Search and pickers are asked as people type: generous, yet no free scraping.
    "RATELIMIT_SEARCH": "120 per minute",
    # API writes (create, change, delete), per user and per client address across every
    # resource: room for a script importing a catalog, not for one gone wrong.
    "RATELIMIT_API_WRITE": "120 per minute",
    "RATELIMIT_API_WRITE_ADDRESS": "300 per minute",
    # CSV exports, per user (per address when anonymous) and per address: each reads the
    # whole filtered list, so a handful per person, not a loop.
    "RATELIMIT_EXPORT": "10 per 10 minutes",
    "RATELIMIT_EXPORT_ADDRESS": "20 per 10 minutes",
    # A share link's pages and streams, per link and client address, and per link from every
    # address: a player asks a few ranges per song, so room to listen, not to mirror a set.
    "RATELIMIT_SHARE": "120 per minute",
    "RATELIMIT_SHARE_LINK": "600 per minute",
}
#: Flask-Limiter storages that every worker and machine shares.
REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://", "redis+sentinel://", "redis+cluster://")


def rate_limit_settings() -> dict[str, object]:
    """Where the counts are kept (memory by default) and each limit, overridable by name."""
    return {
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Several installs (or test runs) sharing one Redis keep their counts apart.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "setlist"),
        "AUTH_RATE_LIMIT": os.environ.get("AUTH_RATE_LIMIT", "20 per 5 minutes"),
        **{name: os.environ.get(name, default) for name, default in RATE_LIMITS.items()},
    }


def refuse_private_counts(storage_uri: str) -> None:
    """Raise when each production worker would keep its own rate-limit counts."""
    if not storage_uri.startswith(REDIS_SCHEMES):
        raise RuntimeError(
            "Production counts login attempts and other limits across all workers: set "
            "RATELIMIT_STORAGE_URI to a Redis server, e.g. redis://127.0.0.1:6379/0 "
            f"(it is {storage_uri!r}, which each worker keeps apart)."
        )
