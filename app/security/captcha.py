"""reCAPTCHA verification that answers within a bounded time."""

import json
import logging
from urllib.parse import urlencode, urlsplit
from urllib.request import urlopen

from flask import current_app, request
from flask_babel import lazy_gettext as _
from flask_wtf.recaptcha import RecaptchaField
from flask_wtf.recaptcha.widgets import RECAPTCHA_SCRIPT_DEFAULT, RecaptchaWidget
from wtforms import ValidationError

from app.headers import allow_third_party, csp_nonce

log = logging.getLogger(__name__)

GOOGLE_VERIFY_SERVER = "https://www.google.com/recaptcha/api/siteverify"
#: Where Google's captcha script loads its scripts and frames from, as Google's reCAPTCHA FAQ
#: lists them: paths, not whole origins (www.google.com serves JSONP endpoints that would run
#: any script tag an attacker injected, were the origin allowed).
GOOGLE_CAPTCHA_SOURCES = (
    "https://www.google.com/recaptcha/",
    "https://www.gstatic.com/recaptcha/",
    "https://recaptcha.google.com/recaptcha/",
)


def captcha_accepted(token: str, remote_ip: str | None) -> bool:
    """Ask the verify server about a token; raises OSError or ValueError when it cannot."""
    config = current_app.config
    payload = urlencode(
        {"secret": config["RECAPTCHA_PRIVATE_KEY"], "response": token, "remoteip": remote_ip}
    ).encode()
    url = config.get("RECAPTCHA_VERIFY_SERVER") or GOOGLE_VERIFY_SERVER
    with urlopen(url, payload, timeout=config["RECAPTCHA_TIMEOUT"]) as response:  # noqa: S310
        return bool(json.load(response).get("success"))


class BoundedRecaptcha:
    """Flask-WTF's check, but with a timeout and a clear message for each failure."""

    def __call__(self, form, field) -> None:
        """Refuse a missing or rejected captcha; say "try again" when it cannot be checked."""
        if not current_app.config["RECAPTCHA_ENABLED"]:
            return
        token = request.form.get("g-recaptcha-response", "")
        if not token:
            raise ValidationError(_("Please confirm that you are not a robot."))
        try:
            accepted = captcha_accepted(token, request.remote_addr)
        except (OSError, ValueError) as error:
            log.warning("reCAPTCHA verification failed: %s", error)
            raise ValidationError(
                _("We could not check the captcha just now. Please try again in a moment.")
            ) from error
        if not accepted:
            raise ValidationError(_("The captcha was not accepted. Please try again."))


class CaptchaWidget(RecaptchaWidget):
    """Flask-WTF's captcha, whose page lets the captcha's own origins in (CSP)."""

    def __call__(self, field, error=None, **kwargs):
        """The captcha's script tag (with the page's nonce) and box."""
        if current_app.config["RECAPTCHA_ENABLED"]:
            allow_third_party(*captcha_origins())
        return super().__call__(field, error=error, **kwargs)


def captcha_origins() -> list[str]:
    """Where the captcha loads its scripts and frames from: Google's, or a configured script's
    origin."""
    script = current_app.config.get("RECAPTCHA_SCRIPT") or RECAPTCHA_SCRIPT_DEFAULT
    if script == RECAPTCHA_SCRIPT_DEFAULT:
        return list(GOOGLE_CAPTCHA_SOURCES)
    parts = urlsplit(script)
    return [f"{parts.scheme}://{parts.netloc}"]


def captcha_field() -> RecaptchaField:
    """The captcha field of our public forms (renders nothing when disabled)."""
    return RecaptchaField(validators=[BoundedRecaptcha()], nonce=csp_nonce, widget=CaptchaWidget())
