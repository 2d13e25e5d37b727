"""Self-registration, its captcha, and the links account emails carry."""

import os
from datetime import timedelta

from app.settings.environment import env_bool, env_int

#: What production needs set before anyone may register (each named when missing).
REGISTRATION_NEEDS = (
    "RECAPTCHA_PUBLIC_KEY",
    "RECAPTCHA_PRIVATE_KEY",
    "MAIL_SERVER",
    "MAIL_DEFAULT_SENDER",
    "CATALOG_EXTERNAL_URL",
)


def registration_settings() -> dict[str, object]:
    """Whether people may register, the reCAPTCHA keys, and how long emailed links live."""
    settings = {
        "AUTH_USER_REGISTRATION": env_bool("CATALOG_REGISTRATION", True),
        "RECAPTCHA_PUBLIC_KEY": os.environ.get("RECAPTCHA_PUBLIC_KEY", ""),
        "RECAPTCHA_PRIVATE_KEY": os.environ.get("RECAPTCHA_PRIVATE_KEY", ""),
    }
    settings["RECAPTCHA_ENABLED"] = bool(
        settings["RECAPTCHA_PUBLIC_KEY"] and settings["RECAPTCHA_PRIVATE_KEY"]
    )
    # Unset, Flask-AppBuilder's own defaults (Google's servers) apply.
    for optional in ("RECAPTCHA_VERIFY_SERVER", "RECAPTCHA_SCRIPT"):
        if os.environ.get(optional):
            settings[optional] = os.environ[optional]
    settings.update(
        RECAPTCHA_TIMEOUT=float(os.environ.get("RECAPTCHA_TIMEOUT", "10")),
        CATALOG_EXTERNAL_URL=os.environ.get("CATALOG_EXTERNAL_URL", "http://127.0.0.1:8080"),
        CATALOG_ACTIVATION_MAX_AGE=timedelta(hours=env_int("CATALOG_ACTIVATION_HOURS", 24)),
        CATALOG_RESET_MAX_AGE=timedelta(minutes=env_int("CATALOG_RESET_MINUTES", 60)),
    )
    return settings


def refuse_insecure_links(external_url: str) -> None:
    """Raise when production would email plain http:// links, unless that is asked for."""
    insecure_links = env_bool("CATALOG_ALLOW_INSECURE_LINKS", False)
    if not external_url.startswith("https://") and not insecure_links:
        raise RuntimeError(
            "Production emails links on CATALOG_EXTERNAL_URL: set it to the site's "
            f"https:// address (it is {external_url!r}), or "
            "CATALOG_ALLOW_INSECURE_LINKS=true to send plain http:// links."
        )


def require_registration_settings() -> None:
    """Raise, naming what is missing, when production registration lacks a captcha, real
    email or a public URL."""
    missing = [name for name in REGISTRATION_NEEDS if not os.environ.get(name)]
    if missing:
        raise RuntimeError(
            "Self-registration (CATALOG_REGISTRATION) is on, so production needs "
            f"{', '.join(missing)} set in the environment (or CATALOG_REGISTRATION=false)."
        )
