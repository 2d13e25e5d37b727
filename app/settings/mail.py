"""Flask-Mail's settings: the relay that sends account emails."""

import os

from app.settings.environment import env_bool, env_int


def mail_settings() -> dict[str, object]:
    """The SMTP relay; with no MAIL_SERVER, emails go to the log instead."""
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": env_int("MAIL_PORT", 25),
        "MAIL_USE_TLS": env_bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": env_bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "setlist@localhost"),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        # A relay with a private CA: its certificate file; by default the system's trust.
        "MAIL_CA_FILE": os.environ.get("MAIL_CA_FILE") or None,
    }
