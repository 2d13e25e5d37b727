"""Each listener's plays: how often and when last they played each song, recorded by the web
player and by Subsonic's `scrobble`, and the lists read from them (recently, most played).

Flask-free: callers pass a SQLAlchemy session and a user id, and commit.
"""

from datetime import UTC, datetime

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import Session, joinedload

from app.listening.marks import MAX_IDS, NoSuchRow
from app.listening.queue import is_whole
from app.listening.upserts import upsert
from app.models.catalog import Album, Song
from app.models.listener_data import SongPlay

#: A song counts as played after half of it or four minutes, whichever comes first
#: (the rule scrobbling services use); a song of unknown length after four minutes.
PLAY_AFTER_SECONDS = 240
PLAY_AFTER_FRACTION = 0.5


def play_threshold(duration: float | None) -> float:
    """How many seconds of a song must be heard before it counts as played."""
    if not duration or duration <= 0:
        return PLAY_AFTER_SECONDS
    return min(PLAY_AFTER_SECONDS, duration * PLAY_AFTER_FRACTION)


def counts_as_play(duration: float | None, heard_seconds: float) -> bool:
    """Whether hearing this much of a song of this length is a play."""
    return heard_seconds >= play_threshold(duration)


def record_play(session: Session, user_id: int, song_id: int, at: datetime | None = None) -> int:
    """Count one play of the song for the user (at `at`, default now); the new play count.
    The door decided it was a play (Subsonic's scrobble with submission, or heard())."""
    if not is_whole(song_id, 1) or session.get(Song, song_id) is None:
        raise NoSuchRow("song")
    at = at or datetime.now(UTC)
    # One statement: the database adds to the count, so two plays recorded at once both
    # count, and two first plays from two devices both land (no read, then insert). A
    # scrobble sent late keeps the later last-played time.
    insert = upsert(session, SongPlay).values(
        user_id=user_id, song_id=song_id, play_count=1, last_played_at=at
    )
    kept = SongPlay.last_played_at
    later = case(
        (
            or_(kept.is_(None), kept < insert.excluded.last_played_at),
            insert.excluded.last_played_at,
        ),
        else_=kept,
    )
    counted = insert.on_conflict_do_update(
        index_elements=[SongPlay.user_id, SongPlay.song_id],
        set_={"play_count": SongPlay.play_count + 1, "last_played_at": later},
    ).returning(SongPlay.play_count)
    return session.execute(counted).scalar_one()


def as_utc(moment: datetime) -> datetime:
    """A stored time as aware UTC (SQLite gives naive times back)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def heard(session: Session, user_id: int, song_id: int, heard_seconds: float) -> int | None:
    """The web player heard this much of the song since it started it: record a play when
    that passes the threshold (the new play count), else None."""
    song = session.get(Song, song_id) if is_whole(song_id, 1) else None
    if song is None:
        raise NoSuchRow("song")
    if not counts_as_play(song.duration, heard_seconds):
        return None
    return record_play(session, user_id, song_id)


def listed(query, limit: int):
    """A page of plays with each song's album and author loaded (no query per row)."""
    return query.options(joinedload(Song.album).joinedload(Album.author)).limit(
        max(1, min(limit, MAX_IDS))
    )


def recently_played(session: Session, user_id: int, limit: int = 25, after=None) -> list:
    """The user's songs, last played first: [(song, play)], read along the (user,
    last_played_at, song) index. `after`: the (last_played_at, song id) the last page ended at."""
    return played_by(session, user_id, SongPlay.last_played_at, limit, after)


def most_played(session: Session, user_id: int, limit: int = 25, after=None) -> list:
    """The user's songs, most played first: [(song, play)], read along the (user,
    play_count, song) index. `after`: the (play_count, song id) the last page ended at."""
    return played_by(session, user_id, SongPlay.play_count, limit, after)


def played_by(session: Session, user_id: int, column, limit: int, after) -> list:
    """The user's songs by a column of their plays, highest first, then by song id: a page of
    [(song, play)] after the (value, song id) the last page ended at, if given."""
    query = (
        select(Song, SongPlay)
        .join(SongPlay, SongPlay.song_id == Song.id)
        .where(SongPlay.user_id == user_id)
        .order_by(column.desc(), SongPlay.song_id.desc())
    )
    if after is not None:
        value, last_id = after
        query = query.where(or_(column < value, and_(column == value, SongPlay.song_id < last_id)))
    return [tuple(row) for row in session.execute(listed(query, limit)).unique()]


def plays_of(session: Session, user_id: int, ids) -> dict[int, SongPlay]:
    """The user's plays of these songs (one statement, on the primary key): song id -> play,
    for the songs they played only."""
    wanted = sorted({song_id for song_id in ids if is_whole(song_id, 1)})[:MAX_IDS]
    if not wanted:
        return {}
    rows = session.scalars(
        select(SongPlay).where(SongPlay.user_id == user_id, SongPlay.song_id.in_(wanted))
    )
    return {play.song_id: play for play in rows}
