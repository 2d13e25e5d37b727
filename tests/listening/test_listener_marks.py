"""Each listener's favourites, ratings and plays: the rules (app/listening), on both databases."""

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.listening import marks, plays
from app.models import Album, Author, Song, SongMark, SongPlay


@pytest.fixture
def catalog(app) -> dict:
    """An author with an album of three songs (10 s, 10 minutes, unknown length); their ids."""
    with app.app_context():
        author = Author(name="Nina")
        album = Album(title="Pastel Blues", author=author)
        songs = [
            Song(
                title=title,
                album=album,
                audio_file=f"{n}.ogg",
                original_filename=f"{n}.ogg",
                duration=duration,
            )
            for n, (title, duration) in enumerate(
                [("Sinnerman", 10.0), ("Be My Husband", 600.0), ("Ain't Got No", None)]
            )
        ]
        db.session.add_all(songs)
        db.session.commit()
        return {"author": author.id, "album": album.id, "songs": [song.id for song in songs]}


@pytest.fixture
def people(app, users) -> tuple[int, int]:
    """The ids of the Listener and the Editor."""
    with app.app_context():
        sm = app.appbuilder.sm
        return tuple(sm.find_user(username=users[role]).id for role in ("Listener", "Editor"))


def test_starring_is_idempotent_and_kept_apart_per_user(app, catalog, people):
    """Star twice: one star, its first time kept; the editor's marks are their own."""
    lisa, eddie = people
    song = catalog["songs"][0]
    with app.app_context():
        assert marks.star(db.session, lisa, "song", song) is True
        db.session.commit()
        first = marks.marks_of(db.session, lisa, "song", [song])[song].starred_at
        assert marks.star(db.session, lisa, "song", song) is False
        db.session.commit()
        assert marks.marks_of(db.session, lisa, "song", [song])[song].starred_at == first
        assert marks.marks_of(db.session, eddie, "song", [song]) == {}
        for kind in ("album", "author"):
            marks.star(db.session, eddie, kind, catalog[kind])
        db.session.commit()
        assert [row.name for row, _at in marks.favourites(db.session, eddie, "author")] == ["Nina"]
        assert marks.favourites(db.session, lisa, "album") == []
        assert marks.star(db.session, lisa, "song", song, starred=False) is True
        assert marks.star(db.session, lisa, "song", song, starred=False) is False
        db.session.commit()
        # Nothing left to keep: the row goes (a table of what users chose, not of every pair).
        assert db.session.query(SongMark).filter_by(user_id=lisa).count() == 0


def test_ratings_from_one_to_five_and_zero_clears(app, catalog, people):
    """A rating is kept per user beside a star; 0 clears it; anything else is refused."""
    lisa, _eddie = people
    first, second, _third = catalog["songs"]
    with app.app_context():
        marks.star(db.session, lisa, "song", first)
        marks.rate(db.session, lisa, "song", first, 4)
        marks.rate(db.session, lisa, "song", second, 2)
        marks.rate(db.session, lisa, "album", catalog["album"], 5)
        db.session.commit()
        found = marks.marks_of(db.session, lisa, "song", [first, second, 999])
        assert {key: value.rating for key, value in found.items()} == {first: 4, second: 2}
        assert db.session.get(Song, first).rating is None  # the catalog's own stays as it was
        marks.rate(db.session, lisa, "song", second, 0)
        db.session.commit()
        assert second not in marks.marks_of(db.session, lisa, "song", [second])
        for bad in (6, -1, 2.5, True, "3"):
            with pytest.raises(marks.MarkRefused):
                marks.rate(db.session, lisa, "song", first, bad)
        with pytest.raises(marks.NoSuchRow):
            marks.star(db.session, lisa, "song", 10**9)
        with pytest.raises(marks.MarkRefused):
            marks.star(db.session, lisa, "playlist", first)


@pytest.mark.parametrize(
    ("duration", "heard", "counts"),
    [
        (10.0, 4.9, False),
        (10.0, 5.0, True),
        (600.0, 239.0, False),
        (600.0, 240.0, True),
        (None, 239.0, False),
        (None, 240.0, True),
    ],
)
def test_a_play_is_half_the_song_or_four_minutes(duration, heard, counts):
    """The scrobbling rule, whichever comes first; four minutes when the length is unknown."""
    assert plays.counts_as_play(duration, heard) is counts


def test_plays_count_up_and_list_recent_and_most_played(app, catalog, people):
    """The web player's heard time and Subsonic's scrobble both count; lists page by key."""
    lisa, eddie = people
    short, long, unknown = catalog["songs"]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        assert plays.heard(db.session, lisa, long, 100) is None  # not yet a play
        assert plays.heard(db.session, lisa, long, 300) == 1
        assert plays.record_play(db.session, lisa, short, at=start) == 1
        assert plays.record_play(db.session, lisa, short, at=start + timedelta(hours=1)) == 2
        assert plays.record_play(db.session, lisa, short, at=start) == 3  # late: time kept
        plays.record_play(db.session, lisa, unknown, at=start - timedelta(days=1))
        plays.record_play(db.session, eddie, unknown)
        db.session.commit()
        recent = plays.recently_played(db.session, lisa, limit=2)
        assert [song.id for song, _play in recent] == [long, short]
        last_song, last_play = recent[-1]
        assert plays.as_utc(last_play.last_played_at) == start + timedelta(hours=1)
        after = (last_play.last_played_at, last_song.id)
        page_two = plays.recently_played(db.session, lisa, limit=2, after=after)
        assert [song.id for song, _play in page_two] == [unknown]
        most = plays.most_played(db.session, lisa)
        assert [(song.id, play.play_count) for song, play in most] == [
            (short, 3),
            *sorted([(long, 1), (unknown, 1)], reverse=True),
        ]
        assert [song.id for song, _p in plays.most_played(db.session, eddie)] == [unknown]
        with pytest.raises(marks.NoSuchRow):
            plays.record_play(db.session, lisa, 10**9)


def test_marks_and_plays_go_with_their_song_and_user(app, catalog, people, own_account):
    """ON DELETE CASCADE: a deleted song takes its marks and plays; so does a deleted user."""
    lisa, _eddie = people
    song = catalog["songs"][0]
    with app.app_context():
        olivia = app.appbuilder.sm.find_user(username=own_account).id
        for user in (lisa, olivia):
            marks.star(db.session, user, "song", song)
            plays.record_play(db.session, user, song)
        db.session.commit()
        db.session.execute(db.text("DELETE FROM ab_user_role WHERE user_id = :id"), {"id": olivia})
        db.session.execute(db.text("DELETE FROM ab_user WHERE id = :id"), {"id": olivia})
        db.session.commit()
        assert db.session.query(SongMark).count() == 1
        assert db.session.query(SongPlay).count() == 1
        db.session.execute(db.delete(Song).where(Song.id == song))
        db.session.commit()
        assert db.session.query(SongMark).count() == 0
        assert db.session.query(SongPlay).count() == 0
