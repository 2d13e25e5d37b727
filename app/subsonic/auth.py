"""Who a Subsonic request comes from: app passwords only, never the login password.

Accepted: u+t+s (t = md5(app password + s)), u+p (the app password, plain or `enc:` and
hex), and OpenSubsonic's apiKey (the app password itself, without u). Failures are
counted per address and per (username, address), with the login form's budgets
(AUTH_RATE_LIMIT, RATELIMIT_LOGIN_ACCOUNT), and audited; past a budget every attempt from
there is refused (error 40) until the window passes. No secret is ever logged.
"""

import re
from dataclasses import dataclass

from flask import current_app, request
from flask_appbuilder.security.sqla.models import User
from flask_limiter.util import get_remote_address
from limits import parse
from sqlalchemy import func, select

from app.extensions import db
from app.models.app_passwords import AppPassword
from app.security.app_passwords import by_password, by_token, cipher_for, note_use
from app.security.audit import audit
from app.security.forms import MAX_LOGIN_NAME
from app.security.throttling import own_count, own_keys
from app.subsonic.params import Params
from app.subsonic.wire import (
    CONFLICTING_MECHANISMS,
    INVALID_API_KEY,
    MECHANISM_NOT_SUPPORTED,
    MISSING_PARAMETER,
    WRONG_CREDENTIALS,
    SubsonicError,
)

FAILURES = "subsonic-failures"
#: An md5 in hex, as Subsonic's t; a salt as clients make them (Subsonic asks for 6+).
TOKEN = re.compile(r"[0-9a-fA-F]{32}")
MAX_SALT = 128
WRONG = "Wrong username or password."
THROTTLED = "Too many failed sign-ins from this address: try again later."
PLAIN_HTTP = "CATALOG_SUBSONIC_PLAIN_HTTP"
PLAIN_OVER_HTTP = "This server takes a password or key only over HTTPS: use HTTPS or a token."
#: What the sign-in parameters are (none of them is ever logged).
SECRET_PARAMETERS = ("t", "s", "p", "apiKey")


@dataclass
class Identity:
    """The signed-in user and the app password they signed in with."""

    user: User
    app_password: AppPassword


def failure_limits(username: str | None) -> list[tuple]:
    """(limit, key parts) of each failure budget this attempt counts against."""
    address = get_remote_address()
    budgets = [(current_app.config["AUTH_RATE_LIMIT"], own_keys(FAILURES, address))]
    if username is not None:
        account = username.casefold()[:MAX_LOGIN_NAME]
        budgets.append(
            (
                current_app.config["RATELIMIT_LOGIN_ACCOUNT"],
                own_keys(FAILURES, f"{account}@{address}"),
            )
        )
    return [(parse(limit), keys) for limit, keys in budgets]


def throttled(username: str | None) -> bool:
    """Whether an attempt from here (for this username) is past a failure budget."""
    return any(
        not own_count(
            lambda strategy, limit=limit, keys=keys: strategy.test(limit, *keys),
            True,
            "Subsonic failures",
        )
        for limit, keys in failure_limits(username)
    )


def count_failure(username: str | None) -> None:
    """Count a failed sign-in against each budget."""
    for limit, keys in failure_limits(username):
        own_count(
            lambda strategy, limit=limit, keys=keys: strategy.hit(limit, *keys),
            None,
            "Subsonic failure",
        )


def refuse(username: str | None, mechanism: str, client: str, code: int, reason: str):
    """Count and audit a failed sign-in, and raise its error."""
    count_failure(username)
    audit(
        "subsonic-login", username=username, mechanism=mechanism, client=client,
        outcome="failed", reason=reason,
    )  # fmt: skip
    message = "Invalid API key." if code == INVALID_API_KEY else WRONG
    raise SubsonicError(code, message)


def find_user(username: str) -> User | None:
    """The user of a username: exact first, else the one matching regardless of case."""
    if len(username) > MAX_LOGIN_NAME:
        return None
    exact = db.session.scalar(select(User).where(User.username == username))
    if exact is not None:
        return exact
    folded = select(User).where(func.lower(User.username) == username.lower())
    return db.session.scalars(folded.limit(1)).first()


def plain_password(p: str) -> str | None:
    """A `p` parameter's password: as sent, or decoded from `enc:` and hex (None if bad)."""
    if not p.startswith("enc:"):
        return p
    try:
        return bytes.fromhex(p[4:]).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def mechanism_of(params: Params) -> str:
    """Which sign-in a request uses: apiKey, token, password; error 43 or 10 when unclear."""
    if params.has("apiKey"):
        if any(params.has(name) for name in ("u", "p", "t", "s")):
            raise SubsonicError(
                CONFLICTING_MECHANISMS, "Send either apiKey or u with t and s (or p), not both."
            )
        return "apiKey"
    if not params.get("u"):
        raise SubsonicError(MISSING_PARAMETER, "Required parameter is missing: u")
    if params.has("t"):
        params.required("s")
        return "token"
    if params.has("p"):
        return "password"
    raise SubsonicError(MISSING_PARAMETER, "Required parameter is missing: t and s, or p")


def app_password_of(params: Params, mechanism: str, user: User | None) -> AppPassword | None:
    """The live app password the request's secret names (of `user` unless by apiKey)."""
    if mechanism == "apiKey":
        return by_password(db.session, params.required("apiKey"))
    if user is None:
        return None
    if mechanism == "token":
        token, salt = params.required("t"), params.required("s")
        if not TOKEN.fullmatch(token) or not salt or len(salt) > MAX_SALT:
            return None
        return by_token(db.session, cipher_for(current_app.config), user.id, token, salt)
    password = plain_password(params.required("p"))
    return by_password(db.session, password, user.id) if password else None


def authenticate(params: Params) -> Identity:
    """The request's user and app password, or the Subsonic error that refuses it."""
    mechanism = mechanism_of(params)
    # p and apiKey carry the app password itself (enc: is only hex): over plain HTTP only
    # where allowed (development; production when CATALOG_SUBSONIC_PLAIN_HTTP says so).
    sends_password = mechanism in ("password", "apiKey")
    if sends_password and not request.is_secure and not current_app.config[PLAIN_HTTP]:
        raise SubsonicError(MECHANISM_NOT_SUPPORTED, PLAIN_OVER_HTTP)
    username = params.get("u") if mechanism != "apiKey" else None
    client = params.get("c", "")
    if throttled(username):
        audit("subsonic-login", username=username, mechanism=mechanism, outcome="rate-limited")
        raise SubsonicError(WRONG_CREDENTIALS, THROTTLED)
    user = find_user(username) if username is not None else None
    row = app_password_of(params, mechanism, user)
    if row is None:
        code = INVALID_API_KEY if mechanism == "apiKey" else WRONG_CREDENTIALS
        reason = "unknown user" if username is not None and user is None else "wrong password"
        refuse(username, mechanism, client, code, reason)
    user = row.user
    if not user.active:
        code = INVALID_API_KEY if mechanism == "apiKey" else WRONG_CREDENTIALS
        refuse(username, mechanism, client, code, "inactive user")
    note_use(db.session, row, client)
    return Identity(user=user, app_password=row)
