"""A listener's first star, rating or play of a row, sent by two devices at the same moment:
the other device's row lands (committed, on its own connection) just before ours is written,
and ours is taken on top of it instead of failing on the primary key."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select, text

from app.extensions import db
from app.listening import marks, plays
from app.models import AlbumMark, Song, SongMark, SongPlay
from tests.setlists.building import make_songs


@contextmanager
def written_meanwhile(table: str, sql: str, values: dict):
    """Just before this session's first INSERT into `table`, another connection writes
    `sql` and commits; yields the list that records it happened."""
    seen: list[str] = []

    def interloper(_conn, _cursor, statement, *_args):
        if seen or not statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()} "):
            return
        seen.append(statement)
        with db.engine.connect() as other:
            other.execute(text(sql), values)
            other.commit()

    event.listen(db.engine, "before_cursor_execute", interloper)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", interloper)


def mine(model, *conditions):
    """The one row of the model matching the conditions (fresh from the database)."""
    return db.session.scalars(select(model).where(*conditions)).one()


def test_first_marks_and_plays_from_two_devices(app, users):
    """A star, a rating and a play each meet the other device's row: the star keeps the
    first time, the rating is ours, both plays count, and the latest play time stays."""
    with app.app_context():
        lisa = app.appbuilder.sm.find_user(username=users["Listener"]).id
        (song,) = make_songs(1)
        album = db.session.get(Song, song).album_id
        then = datetime.now(UTC) - timedelta(hours=1)
        insert_mark = "INSERT INTO song_mark (user_id, song_id, starred_at) VALUES (:u, :s, :at)"
        with written_meanwhile(
            "song_mark", insert_mark, {"u": lisa, "s": song, "at": then}
        ) as seen:
            assert marks.star(db.session, lisa, "song", song)
            db.session.commit()
        assert seen
        starred = mine(SongMark, SongMark.song_id == song).starred_at
        assert plays.as_utc(starred) == then, "the first star's time stays"
        insert_rating = "INSERT INTO album_mark (user_id, album_id, rating) VALUES (:u, :a, 2)"
        with written_meanwhile("album_mark", insert_rating, {"u": lisa, "a": album}) as seen:
            assert marks.rate(db.session, lisa, "album", album, 5)
            db.session.commit()
        assert seen
        assert mine(AlbumMark, AlbumMark.album_id == album).rating == 5
        insert_play = (
            "INSERT INTO song_play (user_id, song_id, play_count, last_played_at)"
            " VALUES (:u, :s, 1, :at)"
        )
        later = datetime.now(UTC) + timedelta(hours=1)
        with written_meanwhile(
            "song_play", insert_play, {"u": lisa, "s": song, "at": later}
        ) as seen:
            assert plays.record_play(db.session, lisa, song) == 2
            db.session.commit()
        assert seen
        db.session.expire_all()
        play = mine(SongPlay, SongPlay.song_id == song)
        assert play.play_count == 2
        assert plays.as_utc(play.last_played_at) == later
        assert plays.record_play(db.session, lisa, song) == 3
