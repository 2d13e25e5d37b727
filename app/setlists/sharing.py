"""Share links: who may make one, what it opens and for how long (no Flask here).

A link's token is 256 bits from `secrets`, shown once to whoever made it; the database keeps
its SHA-256 only, so a leaked database opens no link. A link opens its setlist read-only,
and the setlist's songs only through the setlist's entries, while it is neither revoked nor
expired and its setlist is not private: making a setlist private again closes every link to
it at once (they open again if it is shared again, until they expire or are revoked).
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session, joinedload

from app.models.setlist_shares import PREFIX_LENGTH, SetlistShare
from app.models.setlists import Setlist, SetlistEntry
from app.setlists.rules import N_, SetlistRefused, change_visibility

#: Random bytes in a token: 256 bits (the issue asks for 128 at least).
TOKEN_BYTES = 32
#: What a token looks like (token_urlsafe of TOKEN_BYTES): anything else is not looked up.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
#: The expiries offered, in days (None: never).
EXPIRY_DAYS = (None, 1, 7, 30)
#: The furthest expiry date a link may have.
LONGEST_EXPIRY = timedelta(days=366)
#: Live links one setlist may have at once, so its page lists them all in one short read.
MAX_LIVE_LINKS = 20
#: A link's last use is written at most this often, not on every request it answers.
USE_PRECISION = timedelta(minutes=1)


def now_utc() -> datetime:
    """The time now, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """A stored time with its zone (SQLite gives times back without one; they are UTC)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def new_token() -> str:
    """A fresh token: TOKEN_BYTES random bytes, URL-safe (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as the database keeps it (64 hex digits)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@dataclass
class Created:
    """A new link and its token, which exists nowhere else: show it once."""

    share: SetlistShare
    token: str


def checked_expiry(days=None, until=None, now: datetime | None = None) -> datetime | None:
    """When a new link expires: `days` from now (one of EXPIRY_DAYS), or at the end of the
    day `until` (a date, UTC, today to LONGEST_EXPIRY ahead), or never (both None)."""
    now = now or now_utc()
    if until is not None:
        if not isinstance(until, date):
            raise SetlistRefused("expires", N_("Give the expiry as a date."))
        end = datetime.combine(until, time.max, tzinfo=UTC)
        if end < now:
            raise SetlistRefused("expires", N_("Choose an expiry date that has not passed."))
        if end > now + LONGEST_EXPIRY:
            raise SetlistRefused(
                "expires", N_("A link expires within %(days)d days."), days=LONGEST_EXPIRY.days
            )
        return end
    if days not in EXPIRY_DAYS:
        raise SetlistRefused("expires", N_("Choose never, 1, 7 or 30 days."))
    return None if days is None else now + timedelta(days=days)


def live(now: datetime) -> ColumnElement[bool]:
    """Links neither revoked nor expired, as a WHERE clause."""
    return and_(
        SetlistShare.revoked_at.is_(None),
        or_(SetlistShare.expires_at.is_(None), SetlistShare.expires_at > now),
    )


def live_links(session: Session, setlist_id: int, now: datetime | None = None):
    """A setlist's live links, newest first (at most MAX_LIVE_LINKS: one short read)."""
    query = (
        select(SetlistShare)
        .where(SetlistShare.setlist_id == setlist_id, live(now or now_utc()))
        .order_by(SetlistShare.created_at.desc(), SetlistShare.id.desc())
        .limit(MAX_LIVE_LINKS)
    )
    return list(session.scalars(query))


def create(
    session: Session, setlist: Setlist, created_by_id: int | None, expires_at=None,
    allow_download: bool = False, now: datetime | None = None,
) -> Created:  # fmt: skip
    """A new link to the setlist (the caller checked may_edit and commits). A private
    setlist becomes shared by link; a catalog one stays in the catalog."""
    now = now or now_utc()
    if len(live_links(session, setlist.id, now)) >= MAX_LIVE_LINKS:
        raise SetlistRefused(
            "share",
            N_("A setlist has at most %(most)d live links: revoke one first."),
            most=MAX_LIVE_LINKS,
        )
    if setlist.visibility == "private":
        change_visibility(setlist, "link", may_publish=False)
    token = new_token()
    share = SetlistShare(
        setlist=setlist,
        token_hash=token_hash(token),
        token_prefix=token[:PREFIX_LENGTH],
        created_by_id=created_by_id,
        created_at=now,
        expires_at=expires_at,
        allow_download=bool(allow_download),
    )
    session.add(share)
    session.flush()
    return Created(share=share, token=token)


def opened(session: Session, token, now: datetime | None = None) -> SetlistShare | None:
    """The live link a token opens, with its setlist, or None (unknown, revoked, expired,
    its setlist private, or not a token at all): one statement."""
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        return None
    query = (
        select(SetlistShare)
        .join(Setlist, Setlist.id == SetlistShare.setlist_id)
        .where(
            SetlistShare.token_hash == token_hash(token),
            live(now or now_utc()),
            Setlist.visibility != "private",
        )
        .options(joinedload(SetlistShare.setlist))
    )
    return session.scalars(query).first()


def note_use(session: Session, share: SetlistShare, now: datetime | None = None) -> bool:
    """Record that the link was used, at most once per USE_PRECISION (one UPDATE that
    finds nothing to do when a recent use is written); whether it wrote. The caller
    commits."""
    now = now or now_utc()
    last = as_utc(share.last_used_at)
    if last is not None and now - last < USE_PRECISION:
        return False
    written = session.execute(
        update(SetlistShare)
        .where(
            SetlistShare.id == share.id,
            or_(
                SetlistShare.last_used_at.is_(None),
                SetlistShare.last_used_at <= now - USE_PRECISION,
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return written.rowcount > 0


def shared_entry(session: Session, share: SetlistShare, entry_id) -> SetlistEntry | None:
    """An entry of the link's own setlist, with its song, or None: the only way a link
    reaches a song."""
    if not isinstance(entry_id, int) or isinstance(entry_id, bool):
        return None
    return session.scalars(
        select(SetlistEntry).where(
            SetlistEntry.id == entry_id, SetlistEntry.setlist_id == share.setlist_id
        )
    ).first()


def share_of(session: Session, setlist: Setlist, share_id) -> SetlistShare | None:
    """One of the setlist's links by id (revoked or not), or None."""
    if not isinstance(share_id, int) or isinstance(share_id, bool):
        return None
    return session.scalars(
        select(SetlistShare).where(
            SetlistShare.id == share_id, SetlistShare.setlist_id == setlist.id
        )
    ).first()


def revoke(share: SetlistShare, now: datetime | None = None) -> None:
    """Close the link for good (revoking twice keeps the first time). The caller commits."""
    if share.revoked_at is None:
        share.revoked_at = now or now_utc()


def every_live_link(session: Session, offset: int = 0, limit: int = 50, now=None):
    """One page of every live link, newest first, with setlist and owner (for admins)."""
    query = (
        select(SetlistShare)
        .where(live(now or now_utc()))
        .options(joinedload(SetlistShare.setlist).joinedload(Setlist.owner))
        .order_by(SetlistShare.created_at.desc(), SetlistShare.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.scalars(query))


def live_link(session: Session, share_id, now: datetime | None = None) -> SetlistShare | None:
    """A live link by id, whatever its setlist (for admins), or None."""
    if not isinstance(share_id, int) or isinstance(share_id, bool):
        return None
    return session.scalars(
        select(SetlistShare).where(SetlistShare.id == share_id, live(now or now_utc()))
    ).first()
