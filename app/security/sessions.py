"""Sessions the server can end: a signed cookie alone no longer proves a login.

Flask's session is a signed cookie, so a copy taken before logout would stay valid until
it expired. Each login now gets a row in `login_session`, named by the cookie; a request
is signed in only while that row exists and is younger than SESSION_MAX_HOURS. Logging
out deletes the row; a password change or reset deletes the user's other rows; an admin,
a deactivation or "log out everywhere" deletes them all. Rows that outlived
SESSION_MAX_HOURS are dead: each new login deletes a few of them, oldest first, and
`flask catalog purge-sessions` deletes them all.
"""

import secrets
from datetime import UTC, datetime, timedelta
from functools import cache

from flask import current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import bindparam, delete, select

from app.extensions import db
from app.models import LoginSession
from app.security.app_passwords import revoke_all

#: The session key naming this browser's login_session row.
LOGIN_KEY = "_login"
#: Expired logins each new login deletes: one row in, up to this many dead ones out, so
#: the table stays near the number of live logins without a scheduled job, and a login
#: costs a short index range at any table size.
PURGE_AT_LOGIN = 10
#: Expired logins `flask catalog purge-sessions` deletes per transaction.
PURGE_BATCH = 1000
#: Addresses whose answers never set the session cookie: a share link's holder has no
#: account (app/views/setlists/shared_pages.py), and the 404 and 429 pages drawn there in
#: the layout would otherwise start a session (its CSRF meta tag stores a token).
COOKIELESS_PATHS = ("/shared/", "/rest/")


def utcnow() -> datetime:
    """Now, in UTC without a timezone (as the column stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def open_login(user) -> str:
    """Record a new login (a browser's, or an API client's tokens); its id."""
    row = LoginSession(id=secrets.token_urlsafe(32), user_id=user.id, created_at=utcnow())
    db.session.add(row)
    purge_expired_logins(PURGE_AT_LOGIN)
    db.session.commit()
    return row.id


def expired_before() -> datetime:
    """Logins that began before this are over (SESSION_MAX_HOURS)."""
    return utcnow() - timedelta(hours=current_app.config["SESSION_MAX_HOURS"])


def purge_expired_logins(limit: int) -> int:
    """Delete up to `limit` expired logins, oldest first, through the index on their start;
    how many. Rows another transaction is purging are skipped, not waited for (PostgreSQL).
    The caller commits."""
    oldest = (
        select(LoginSession.id)
        .where(LoginSession.created_at < expired_before())
        .order_by(LoginSession.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return db.session.execute(delete(LoginSession).where(LoginSession.id.in_(oldest))).rowcount


def purge_all_expired_logins() -> int:
    """Delete every expired login, PURGE_BATCH per transaction (no long lock); how many."""
    purged = 0
    while True:
        batch = purge_expired_logins(PURGE_BATCH)
        db.session.commit()
        purged += batch
        if batch < PURGE_BATCH:
            return purged


def start_login_session(user) -> None:
    """Record a new login and name it in this browser's session."""
    session[LOGIN_KEY] = open_login(user)


def signed_in_user(user_model, user_id: int):
    """The user this browser is signed in as (one query), or None once its login ended."""
    return user_of_login(user_model, user_id, session.get(LOGIN_KEY))


def user_of_login(user_model, user_id: int, login_id: str | None):
    """The user of a login that has not ended nor grown older than SESSION_MAX_HOURS."""
    if not login_id:
        return None
    parameters = {"user_id": user_id, "login_id": login_id, "oldest": expired_before()}
    return db.session.scalars(signed_in_statement(user_model), parameters).first()


def end_login(login_id: str) -> None:
    """End one login (a token client's logout)."""
    db.session.execute(delete(LoginSession).where(LoginSession.id == login_id))
    db.session.commit()


@cache
def signed_in_statement(user_model):
    """The query of signed_in_user, built once: building it cost as much as running it."""
    return (
        select(user_model)
        .join(LoginSession, LoginSession.user_id == user_model.id)
        .where(
            user_model.id == bindparam("user_id"),
            LoginSession.id == bindparam("login_id"),
            LoginSession.created_at > bindparam("oldest"),
        )
    )


def end_login_session() -> None:
    """Sign this browser out on the server too."""
    login_id = session.pop(LOGIN_KEY, None)
    if login_id:
        end_login(login_id)


def end_sessions(user_id: int, keep_current: bool = False) -> int:
    """End every login of a user (but this browser's, if asked); how many ended. Music apps'
    app passwords are revoked too, always: whatever ends sessions (logging out everywhere,
    a password change or reset, an admin's "End all sessions", a deactivation) must not leave
    a phone signed in."""
    statement = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep_current and session.get(LOGIN_KEY):
        statement = statement.where(LoginSession.id != session[LOGIN_KEY])
    ended = db.session.execute(statement).rowcount
    revoke_all(db.session, user_id)
    db.session.commit()
    return ended


class PageRenewedCookies(SecureCookieSessionInterface):
    """Session cookies whose idle lifetime is renewed by page visits, not background requests.

    Flask renews a permanent session by sending its cookie again with every response. A
    fetch still running when the person picks a language (the queue's, the search box's)
    then answered with the session as it read it, after the new one: the choice was lost.
    A request that changed the session still sends it; one the browser marks as a fetch
    (Sec-Fetch-Mode other than navigate) sends nothing it did not change.
    """

    def should_set_cookie(self, app, session) -> bool:
        """Send the cookie when the session changed, or to renew it on a page visit; never
        on a COOKIELESS_PATHS address."""
        if cookieless(request.path):
            return False
        if session.modified:
            return True
        navigates = request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"
        return navigates and super().should_set_cookie(app, session)


def cookieless(path: str) -> bool:
    """Whether an address is one whose answers set no session cookie."""
    return any(path.startswith(prefix) or path == prefix[:-1] for prefix in COOKIELESS_PATHS)
