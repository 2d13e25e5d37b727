"""Signing in over plain http:// to a server that sets Secure cookies (production).

A browser keeps a Secure cookie only from an https:// page and sends it back only over
https://, so the login form's session never returns: the sign-in fails as an expired form,
or the next page is anonymous again. Where people sign in, say what is wrong instead.
"""

import ipaddress

from flask import current_app, request
from flask_babel import lazy_gettext as _

from app.web.pages import message_page

SIGN_IN_NEEDS_HTTPS = _("Sign-in needs HTTPS")
USE_HTTPS = _(
    "This server sets secure cookies, which browsers send back only over https://, so "
    "signing in over http:// cannot work. Open this site through its https:// address. "
    "Operators: see README, Production (HTTPS in front, CATALOG_TRUSTED_PROXIES)."
)


def cookies_lost_over_http() -> bool:
    """Whether this request came over plain http to a server whose session cookie is
    Secure (behind a trusted proxy, its X-Forwarded-Proto says which). Browsers treat
    http://localhost and loopback addresses as secure, cookies included."""
    secure_cookies = bool(current_app.config["SESSION_COOKIE_SECURE"])
    return secure_cookies and not request.is_secure and not is_loopback(request.host)


def is_loopback(host: str) -> bool:
    """Whether a Host header names this machine (localhost, 127.0.0.0/8, ::1)."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def sign_in_needs_https_page():
    """The page saying so (400), or None when the request is not in that case: a form
    whose session was lost over http:// (a CSRF failure) gets it instead of "expired"."""
    if not cookies_lost_over_http():
        return None
    return message_page(SIGN_IN_NEEDS_HTTPS, USE_HTTPS, status=400, level="danger")
