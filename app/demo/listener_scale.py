"""Generated listener data at scale, written with bulk SQL: for the scale benchmark.

On top of a generated catalog (app/demo/scale.py): for each generated person (those of the
setlist scenario, app/demo/setlist_scale.py, written here if there are too few) some starred
and rated songs, starred albums and authors, and played songs with how often and when last;
one named listener gets a heavy share, so their lists run to many pages. Popular songs are
picked more often than others, as listeners do. The marks and plays keep no counters
elsewhere: the rows are the whole record.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_appbuilder.security.sqla.models import User, assoc_user_role
from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection

from app.demo.scale import insert_rows, next_id
from app.demo.setlist_scale import GENERATED, people
from app.models import Album, AlbumMark, Author, AuthorMark, Song, SongMark, SongPlay

#: How far back the generated stars and plays go.
SPAN = timedelta(days=365)


@dataclass(frozen=True)
class Shape:
    """How much one listener keeps: starred and rated songs (a third of the rated ones
    starred too), starred albums and authors (a third of them rated), played songs."""

    starred_songs: int = 50
    rated_songs: int = 30
    starred_albums: int = 10
    starred_authors: int = 5
    played_songs: int = 200


#: The named listener's share: thousands of rows, tens of pages in each list.
HEAVY = Shape(starred_songs=2000, rated_songs=500, starred_albums=300, starred_authors=100,
              played_songs=5000)  # fmt: skip


@dataclass(frozen=True)
class ListenerScale:
    """What was written: rows per table, and the named listener's own counts."""

    listeners: int
    song_marks: int
    album_marks: int
    author_marks: int
    plays: int
    #: The named listener's starred songs, albums, authors and played songs (as written).
    heavy: Shape

    @property
    def rows(self) -> int:
        """Every row written."""
        return self.song_marks + self.album_marks + self.author_marks + self.plays


def generated_people(connection: Connection, wanted: int, role_id: int | None) -> list[int]:
    """The ids of `wanted` generated people, writing those missing (as Listeners)."""
    pattern = f"{GENERATED}%"
    query = select(User.id).where(User.username.like(pattern)).order_by(User.id).limit(wanted)
    found = list(connection.scalars(query))
    missing = wanted - len(found)
    if missing > 0:
        first = next_id(connection, User)
        insert_rows(connection, User, people(first, missing, datetime.now(UTC)))
        if role_id is not None:
            rows = [{"user_id": first + n, "role_id": role_id} for n in range(missing)]
            connection.execute(insert(assoc_user_role), rows)
        if connection.dialect.name == "postgresql":
            # Explicit ids leave the sequence behind; later sign-ups must not collide.
            connection.execute(
                text("SELECT setval('ab_user_id_seq', (SELECT max(id) FROM ab_user))")
            )
        found += range(first, first + missing)
    return found


def write_listener_data(
    connection: Connection,
    user_ids: list[int],
    heavy_id: int,
    shape: Shape = Shape(),
    heavy: Shape = HEAVY,
    seed: int = 13,
) -> ListenerScale:
    """Write each user's marks and plays by `shape`, the heavy listener's by `heavy`;
    songs, albums and authors must exist. The caller commits."""
    rng = random.Random(seed)  # noqa: S311 - repeatable data, not secrets
    pools = {
        model: list(connection.scalars(select(model.id).order_by(model.id)))
        for model in (Song, Album, Author)
    }
    if not pools[Song]:
        raise ValueError("write the catalog first: marks and plays need songs")
    now = datetime.now(UTC)
    counts = {SongMark: 0, AlbumMark: 0, AuthorMark: 0, SongPlay: 0}
    listeners = [(user_id, shape) for user_id in user_ids if user_id != heavy_id]
    listeners.append((heavy_id, heavy))

    def picked(model, wanted: int) -> list[int]:
        """`wanted` distinct ids, the first ones (the popular) more often."""
        pool = pools[model]
        wanted = min(wanted, len(pool))
        chosen: dict[int, None] = {}
        while len(chosen) < wanted:
            chosen[pool[int(len(pool) * rng.random() ** 2)]] = None
        return list(chosen)

    def when() -> datetime:
        return now - timedelta(seconds=rng.randrange(int(SPAN.total_seconds())))

    def rows(model, make):
        for user_id, share in listeners:
            for row in make(user_id, share):
                counts[model] += 1
                yield row

    def song_marks(user_id: int, share: Shape):
        both = min(share.starred_songs, share.rated_songs // 3)
        ids = picked(Song, share.starred_songs + share.rated_songs - both)
        for place, song_id in enumerate(ids):
            starred = place < share.starred_songs
            rated = place >= share.starred_songs - both
            yield {"user_id": user_id, "song_id": song_id,
                   "starred_at": when() if starred else None,
                   "rating": rng.randint(1, 5) if rated else None}  # fmt: skip

    def starred(model, column: str, count):
        def make(user_id: int, share: Shape):
            for item_id in picked(model, count(share)):
                rating = rng.randint(1, 5) if rng.random() < 1 / 3 else None
                yield {"user_id": user_id, column: item_id, "starred_at": when(), "rating": rating}

        return make

    def played(user_id: int, share: Shape):
        for song_id in picked(Song, share.played_songs):
            # Most songs a few times, some many times: the "Most played" has a long tail.
            count = 1 + int(rng.expovariate(0.25))
            yield {"user_id": user_id, "song_id": song_id, "play_count": count,
                   "last_played_at": when()}  # fmt: skip

    insert_rows(connection, SongMark, rows(SongMark, song_marks))
    albums = starred(Album, "album_id", lambda share: share.starred_albums)
    insert_rows(connection, AlbumMark, rows(AlbumMark, albums))
    authors = starred(Author, "author_id", lambda share: share.starred_authors)
    insert_rows(connection, AuthorMark, rows(AuthorMark, authors))
    insert_rows(connection, SongPlay, rows(SongPlay, played))
    kept = heavy_counts(connection, heavy_id)
    return ListenerScale(len(listeners), *counts.values(), heavy=kept)


def heavy_counts(connection: Connection, user_id: int) -> Shape:
    """What one user keeps, counted in the database (what their lists should say)."""

    def count(table: str, condition: str = "") -> int:
        # Our own table names and conditions, no outside input.
        query = f"SELECT count(*) FROM {table} WHERE user_id = :user {condition}"  # noqa: S608
        return connection.scalar(text(query), {"user": user_id})

    return Shape(
        starred_songs=count("song_mark", "AND starred_at IS NOT NULL"),
        rated_songs=count("song_mark", "AND rating IS NOT NULL"),
        starred_albums=count("album_mark", "AND starred_at IS NOT NULL"),
        starred_authors=count("author_mark", "AND starred_at IS NOT NULL"),
        played_songs=count("song_play"),
    )
