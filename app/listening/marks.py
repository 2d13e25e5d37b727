"""Each listener's favourites (stars) and ratings on songs, albums and authors: the rules
every door follows (the web pages, the Subsonic API's star/unstar/setRating/getStarred).

Flask-free: callers pass a SQLAlchemy session and a user id, and commit.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from app.listening.queue import N_, QueueRefused, is_whole
from app.listening.upserts import upsert
from app.models.catalog import RATING_MAX, Album, Author, Song
from app.models.listener_data import AlbumMark, AuthorMark, SongMark

#: What may be starred and rated: kind -> (the catalog model, its mark model, the mark's column).
KINDS = {
    "song": (Song, SongMark, "song_id"),
    "album": (Album, AlbumMark, "album_id"),
    "author": (Author, AuthorMark, "author_id"),
}
#: The most rows one lookup or one page of favourites takes (a list page shows up to 100).
MAX_IDS = 500


class MarkRefused(QueueRefused):
    """A star or rating the rules do not take (`field`, `message`, `values` as QueueRefused)."""


class NoSuchRow(LookupError):
    """The song, album or author does not exist (a 404 at the door)."""


@dataclass(frozen=True)
class Marked:
    """What a user keeps about one row: when they starred it (None: not starred), their rating."""

    starred_at: datetime | None = None
    rating: int | None = None


def parts(kind: str):
    """(catalog model, mark model, the mark's item column) of a kind; MarkRefused if unknown."""
    if kind not in KINDS:
        raise MarkRefused("kind", N_("Send one of: song, album, author."))
    model, mark, column = KINDS[kind]
    return model, mark, getattr(mark, column)


def mark_row(session: Session, user_id: int, kind: str, item_id: int):
    """The user's mark on the row, or None; NoSuchRow if no such row."""
    model, mark, column = parts(kind)
    if not is_whole(item_id, 1) or session.get(model, item_id) is None:
        raise NoSuchRow(kind)
    return session.scalar(select(mark).where(mark.user_id == user_id, column == item_id))


def new_mark(session: Session, user_id: int, kind: str, item_id: int, **values) -> None:
    """Write the user's first mark on a row in one statement; if another device wrote one
    at the same instant, these values go on it instead."""
    _model, mark, column = parts(kind)
    insert = upsert(session, mark).values(user_id=user_id, **{column.key: item_id}, **values)
    # A star keeps its first time (favourites stay in the order they were chosen).
    changed = {name: insert.excluded[name] for name in values}
    if "starred_at" in changed:
        changed["starred_at"] = func.coalesce(mark.starred_at, changed["starred_at"])
    session.execute(
        insert.on_conflict_do_update(index_elements=[mark.user_id, column], set_=changed)
    )


def keep_or_drop(session: Session, row) -> None:
    """Keep a mark that says something, delete one that no longer does."""
    if row.starred_at is None and row.rating is None:
        session.delete(row)


def star(session: Session, user_id: int, kind: str, item_id: int, starred: bool = True) -> bool:
    """Star (or unstar) a row for the user; whether anything changed. Starring a starred row
    keeps its first time (favourites stay in the order they were chosen)."""
    row = mark_row(session, user_id, kind, item_id)
    if starred == (row is not None and row.starred_at is not None):
        return False
    if row is None:
        new_mark(session, user_id, kind, item_id, starred_at=datetime.now(UTC))
        return True
    row.starred_at = datetime.now(UTC) if starred else None
    keep_or_drop(session, row)
    return True


def rate(session: Session, user_id: int, kind: str, item_id: int, rating: int) -> bool:
    """The user's rating of a row, 1-5; 0 clears it. Whether anything changed."""
    if not is_whole(rating, 0) or rating > RATING_MAX:
        raise MarkRefused(
            "rating", N_("Rate from 1 to %(most)d stars, or 0 to clear."), most=RATING_MAX
        )
    row = mark_row(session, user_id, kind, item_id)
    wanted = rating or None
    if (row.rating if row is not None else None) == wanted:
        return False
    if row is None:
        new_mark(session, user_id, kind, item_id, rating=wanted)
        return True
    row.rating = wanted
    keep_or_drop(session, row)
    return True


def marks_of(session: Session, user_id: int, kind: str, ids) -> dict[int, Marked]:
    """The user's marks on these rows (one statement, on the primary key): id -> Marked,
    for the rows they marked only."""
    parts(kind)  # an unknown kind is refused
    wanted = sorted({item_id for item_id in ids if is_whole(item_id, 1)})[:MAX_IDS]
    if not wanted:
        return {}
    rows = session.execute(marks_statement(kind), {"user_id": user_id, "ids": wanted})
    return {item_id: Marked(starred_at, rating) for item_id, starred_at, rating in rows}


@cache
def marks_statement(kind: str):
    """marks_of's statement (user_id, ids), built once per kind: building it cost as much
    as running it, on every list page."""
    _model, mark, column = parts(kind)
    return select(column, mark.starred_at, mark.rating).where(
        mark.user_id == bindparam("user_id"), column.in_(bindparam("ids", expanding=True))
    )


def favourites(session: Session, user_id: int, kind: str, limit: int = 25, after=None) -> list:
    """One page of the user's starred rows, newest first: [(row, starred_at)], read along
    the (user, starred_at, item) index. `after`: the (starred_at, id) the last page ended at."""
    model, mark, column = parts(kind)
    query = (
        select(model, mark.starred_at)
        .join(mark, column == model.id)
        .where(mark.user_id == user_id, mark.starred_at.is_not(None))
        .order_by(mark.starred_at.desc(), column.desc())
        .limit(max(1, min(limit, MAX_IDS)))
    )
    if after is not None:
        starred_at, last_id = after
        query = query.where(
            or_(
                mark.starred_at < starred_at,
                and_(mark.starred_at == starred_at, column < last_id),
            )
        )
    return [(row, starred_at) for row, starred_at in session.execute(query)]
