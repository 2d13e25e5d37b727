"""CATALOG_APP_PASSWORD_KEY: the key music apps' passwords are encrypted with at rest, and
what production refuses; whether the Subsonic API takes a password sent over plain HTTP."""

import os

from app.settings.environment import env_bool
from app.settings.secret_key import refuse_weak_secret

SETTING = "CATALOG_APP_PASSWORD_KEY"


def app_password_settings() -> dict[str, str]:
    """The key(s) from the environment: comma-separated, the first encrypts, every one
    decrypts (so a new key can be put first while old passwords still open). Empty in
    development and tests: the key is then derived from SECRET_KEY."""
    return {SETTING: os.environ.get(SETTING, "").strip()}


def plain_http_passwords(default: bool) -> dict[str, bool]:
    """CATALOG_SUBSONIC_PLAIN_HTTP: whether a Subsonic app may send its password itself
    (`p`, plain or enc:, which is only hex) over plain HTTP. Production's default is no:
    a token (t and s) or HTTPS then; development's is yes (loopback, no certificate)."""
    return {"CATALOG_SUBSONIC_PLAIN_HTTP": env_bool("CATALOG_SUBSONIC_PLAIN_HTTP", default)}


def refuse_weak_app_password_key(value: str, secret_key: str) -> None:
    """Raise unless every listed key is long and random enough for production, and none is
    SECRET_KEY (a leaked session key must not also open the music apps' passwords)."""
    keys = [key.strip() for key in value.split(",")]
    try:
        for key in keys:
            refuse_weak_secret(key)
            if key == secret_key:
                raise RuntimeError(key)
    except RuntimeError:
        raise RuntimeError(
            f"Production needs {SETTING} set in the environment to a random value of at "
            "least 32 characters (several separated by commas while changing keys), "
            "different from SECRET_KEY, e.g. "
            '`python -c "import secrets; print(secrets.token_urlsafe(48))"`. It encrypts '
            "the passwords music apps sign in with; keep it as safe as the database backups."
        ) from None
