"""What listeners are playing right now, as their music apps report it (Subsonic's scrobble
with submission=false): kept one row per user and client, read back for the last few minutes.

Flask-free: callers pass a SQLAlchemy session and plain values, and commit.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from app.listening.marks import MAX_IDS, NoSuchRow
from app.listening.queue import is_whole
from app.listening.upserts import upsert as upsert_of
from app.models.catalog import Album, Song
from app.models.now_playing import CLIENT_LENGTH, NowPlaying

#: How long a report counts as "now" (a long song's length; apps report each new song).
RECENT = timedelta(minutes=15)


def report(
    session: Session, user_id: int, client: str, song_id: int, at: datetime | None = None
) -> NowPlaying:
    """Keep that the user's client started playing the song (replacing what that client
    said before); the user's reports older than RECENT go, so a user keeps few rows."""
    if not is_whole(song_id, 1) or session.get(Song, song_id) is None:
        raise NoSuchRow("song")
    at = at or datetime.now(UTC)
    client = (client or "").strip()[:CLIENT_LENGTH]
    # One statement that inserts or replaces: a read, then an insert, lets two reports of
    # one client at the same moment (an app retrying) both insert, and one fail.
    upsert = upsert_of(session, NowPlaying)
    session.execute(
        upsert.values(
            user_id=user_id, client=client, song_id=song_id, reported_at=at
        ).on_conflict_do_update(
            index_elements=[NowPlaying.user_id, NowPlaying.client],
            set_={"song_id": upsert.excluded.song_id, "reported_at": upsert.excluded.reported_at},
        )
    )
    session.execute(
        delete(NowPlaying).where(
            NowPlaying.user_id == user_id, NowPlaying.reported_at < at - RECENT
        )
    )
    return session.get(NowPlaying, (user_id, client), populate_existing=True)


def playing(
    session: Session, user_id: int | None = None, now: datetime | None = None
) -> list[tuple[NowPlaying, Song]]:
    """The reports of the last RECENT, newest first, with their songs (album and author
    loaded): one user's (user_id), or everyone's (None); at most MAX_IDS."""
    now = now or datetime.now(UTC)
    query = (
        select(NowPlaying, Song)
        .join(Song, Song.id == NowPlaying.song_id)
        .where(NowPlaying.reported_at >= now - RECENT)
        .options(joinedload(Song.album).joinedload(Album.author))
        .order_by(NowPlaying.reported_at.desc(), NowPlaying.user_id)
        .limit(MAX_IDS)
    )
    if user_id is not None:
        query = query.where(NowPlaying.user_id == user_id)
    return [tuple(row) for row in session.execute(query).unique()]


def minutes_ago(reported_at: datetime, now: datetime | None = None) -> int:
    """Whole minutes since a report (SQLite gives stored times back without their zone)."""
    now = now or datetime.now(UTC)
    reported_at = reported_at if reported_at.tzinfo else reported_at.replace(tzinfo=UTC)
    return max(0, int((now - reported_at).total_seconds() // 60))
