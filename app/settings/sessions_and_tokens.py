"""How long a browser session and an API client's tokens last."""

from datetime import timedelta

from app.settings.environment import env_int


def session_settings() -> dict[str, object]:
    """Session lifetimes, and API tokens that never outlive the session they come from."""
    # Idle lifetime (each request renews it), and the absolute one counted from login.
    lifetime = timedelta(hours=env_int("SESSION_LIFETIME_HOURS", 12))
    return {
        "PERMANENT_SESSION_LIFETIME": lifetime,
        "SESSION_MAX_HOURS": env_int("SESSION_MAX_HOURS", 7 * 24),
        # API clients: short-lived access tokens, renewed with a refresh token that lasts a
        # session's lifetime (and no longer than its login: app/security/tokens.py).
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=env_int("API_TOKEN_MINUTES", 15)),
        "JWT_REFRESH_TOKEN_EXPIRES": lifetime,
    }
