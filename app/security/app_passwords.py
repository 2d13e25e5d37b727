"""App passwords: what a user gives a music app instead of the login password.

Subsonic's token sign-in sends t = md5(password + salt), so the server needs the password
in clear: each is kept encrypted (Fernet, keys from CATALOG_APP_PASSWORD_KEY) and found by
value through its SHA-256 (a random 120-bit password needs no slow hash). Flask-free: the
Subsonic door, the account page and the CLI call these with a session and a cipher.
"""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models.app_passwords import MAX_CLIENT, MAX_NAME, AppPassword
from app.models.setlists import utc_now

#: Letters and digits nobody mixes up when typing from a screen (no 0/o, 1/l/i).
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
#: Six groups of four: about 119 bits, typed as xxxx-xxxx-xxxx-xxxx-xxxx-xxxx.
GROUPS, GROUP_LENGTH = 6, 4
#: Live app passwords a user may hold (each sign-in by token tries each of them).
MAX_PER_USER = 20
#: A use is written at most this often per password (a player asks many times a minute).
USE_WRITE_INTERVAL = timedelta(minutes=1)
#: Mixed into SECRET_KEY when development derives a key, so the two never coincide.
DERIVATION_LABEL = b"setlist app passwords v1\x00"


class TooManyAppPasswords(ValueError):
    """The user already holds MAX_PER_USER live app passwords."""


class BadName(ValueError):
    """An app password's name is empty or too long."""


def cipher_for(config: Mapping) -> MultiFernet:
    """The cipher of CATALOG_APP_PASSWORD_KEY (comma-separated; the first encrypts), else,
    in development and tests, of a key derived from SECRET_KEY."""
    listed = [key.strip() for key in config.get("CATALOG_APP_PASSWORD_KEY", "").split(",")]
    keys = [key for key in listed if key] or [config["SECRET_KEY"]]
    return MultiFernet([Fernet(fernet_key(key)) for key in keys])


def fernet_key(secret: str) -> bytes:
    """A Fernet key (32 bytes, base64) derived from a secret of any form."""
    digest = hashlib.sha256(DERIVATION_LABEL + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def new_password() -> str:
    """A long random password, easy to type: six groups of four letters and digits."""
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return "-".join(groups)


def password_hash(password: str) -> str:
    """The SHA-256 a password is looked up by."""
    return hashlib.sha256(password.encode()).hexdigest()


def clean_name(name: str) -> str:
    """A password's name, stripped; BadName when empty or longer than MAX_NAME."""
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_NAME:
        raise BadName(name)
    return cleaned


def live(session: Session, user_id: int) -> list[AppPassword]:
    """A user's app passwords that are not revoked, newest first."""
    return list(
        session.scalars(
            select(AppPassword)
            .where(AppPassword.user_id == user_id, AppPassword.revoked_at.is_(None))
            .order_by(AppPassword.created_at.desc(), AppPassword.id.desc())
        )
    )


def create(
    session: Session, cipher: MultiFernet, user_id: int, name: str
) -> tuple[AppPassword, str]:
    """Make a named app password for a user (committed); the clear password is returned
    here and never again."""
    cleaned = clean_name(name)
    if len(live(session, user_id)) >= MAX_PER_USER:
        raise TooManyAppPasswords(user_id)
    password = new_password()
    row = AppPassword(
        user_id=user_id,
        name=cleaned,
        encrypted=cipher.encrypt(password.encode()).decode(),
        password_hash=password_hash(password),
    )
    session.add(row)
    session.commit()
    return row, password


def clear_password(cipher: MultiFernet, row: AppPassword) -> str | None:
    """A row's password, or None when no configured key opens it (a key was dropped)."""
    try:
        return cipher.decrypt(row.encrypted.encode()).decode()
    except InvalidToken:
        return None


def by_token(
    session: Session, cipher: MultiFernet, user_id: int, token: str, salt: str
) -> AppPassword | None:
    """The user's live app password whose md5(password + salt) is `token` (Subsonic's t)."""
    wanted = token.lower()
    for row in live(session, user_id):
        password = clear_password(cipher, row)
        if password is None:
            continue
        made = hashlib.md5((password + salt).encode(), usedforsecurity=False).hexdigest()
        if hmac.compare_digest(made, wanted):
            return row
    return None


def by_password(session: Session, password: str, user_id: int | None = None) -> AppPassword | None:
    """The live app password with this value (of this user when one is named)."""
    query = select(AppPassword).where(
        AppPassword.password_hash == password_hash(password), AppPassword.revoked_at.is_(None)
    )
    if user_id is not None:
        query = query.where(AppPassword.user_id == user_id)
    return session.scalar(query)


def note_use(session: Session, row: AppPassword, client: str, now: datetime | None = None) -> None:
    """Record a sign-in's time and client (`c`, cut to MAX_CLIENT) at most once a minute
    per password, or at once when the client changed (committed)."""
    now = now or utc_now()
    client = "".join(ch for ch in client if ch.isprintable())[:MAX_CLIENT] or None
    last = row.last_used_at
    if last is not None and last.tzinfo is None:  # SQLite gives back naive times
        last = last.replace(tzinfo=now.tzinfo)
    if last is not None and now - last < USE_WRITE_INTERVAL and client == row.last_client:
        return
    row.last_used_at, row.last_client = now, client
    session.commit()


def revoke(session: Session, user_id: int, password_id: int) -> bool:
    """Revoke one of the user's own app passwords (committed); False when it is not
    theirs, unknown or already revoked."""
    done = session.execute(
        update(AppPassword)
        .where(
            AppPassword.id == password_id,
            AppPassword.user_id == user_id,
            AppPassword.revoked_at.is_(None),
        )
        .values(revoked_at=utc_now())
    )
    session.commit()
    return done.rowcount == 1


def revoke_all(session: Session, user_id: int) -> int:
    """Revoke every live app password of a user (not committed: the caller's change, such
    as a password reset, commits it with its own); how many were live."""
    done = session.execute(
        update(AppPassword)
        .where(AppPassword.user_id == user_id, AppPassword.revoked_at.is_(None))
        .values(revoked_at=utc_now())
    )
    return done.rowcount
