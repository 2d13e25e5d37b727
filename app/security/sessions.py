"""Sessions the server can end: a signed cookie alone no longer proves a login.

Flask's session is a signed cookie, so a copy taken before logout would stay valid until
it expired. Each login now gets a row in `login_session`, named by the cookie; a request
is signed in only while that row exists and is younger than SESSION_MAX_HOURS. Logging
out deletes the row; a password change or reset deletes the user's other rows; an admin,
a deactivation or "log out everywhere" deletes them all.
"""

import secrets
from datetime import UTC, datetime, timedelta
from functools import cache

from flask import current_app, session
from sqlalchemy import bindparam, delete, select

from app.extensions import db
from app.models import LoginSession

#: The session key naming this browser's login_session row.
LOGIN_KEY = "_login"


def utcnow() -> datetime:
    """Now, in UTC without a timezone (as the column stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def open_login(user) -> str:
    """Record a new login (a browser's, or an API client's tokens); its id."""
    row = LoginSession(id=secrets.token_urlsafe(32), user_id=user.id, created_at=utcnow())
    db.session.add(row)
    db.session.commit()
    return row.id


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
    oldest = utcnow() - timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    parameters = {"user_id": user_id, "login_id": login_id, "oldest": oldest}
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
    """End every login of a user (but this browser's, if asked); how many ended."""
    statement = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep_current and session.get(LOGIN_KEY):
        statement = statement.where(LoginSession.id != session[LOGIN_KEY])
    ended = db.session.execute(statement).rowcount
    db.session.commit()
    return ended
