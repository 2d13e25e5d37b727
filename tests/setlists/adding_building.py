"""Helpers of the "Add to setlist" tests: setlists and albums made directly, the order read
back. Requests run with no app context pushed by the test (as a server has none)."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from app.extensions import db
from app.models import Album, Author, Setlist, Song
from app.setlists import rules
from tests.setlists.building import make_songs

ADDING = "/setlists/adding"
#: A bulk page's setlist choices, in the order shown.
CHOICES = re.compile(r'name="setlist" value="(\d+)"')


def user_id(app, username: str) -> int:
    """The id of an account."""
    with app.app_context():
        return app.appbuilder.sm.find_user(username=username).id


def make_setlist(app, owner_id: int, name: str, visibility="private", age_minutes=0) -> int:
    """A setlist of the owner's, last changed `age_minutes` ago; its id."""
    with app.app_context():
        setlist = rules.create(db.session, owner_id, name)
        setlist.visibility = visibility
        setlist.updated_at = datetime.now(UTC) - timedelta(minutes=age_minutes)
        db.session.commit()
        return setlist.id


def new_songs(app, count: int) -> list[int]:
    """`count` songs of one album; their ids."""
    with app.app_context():
        return make_songs(count)


def album_of(app, tracks: int, title="Thirty") -> tuple[int, list[int]]:
    """An album of `tracks` songs on two discs, written in shuffled order (so ids do not
    follow the running order); its id and its song ids in running order."""
    with app.app_context():
        album = Album(title=title, author=Author(name="Band"))
        db.session.add(album)
        db.session.flush()
        half = tracks // 2
        places = [(1 if n < half else 2, n % half + 1 if n < half else n - half + 1)
                  for n in range(tracks)]  # fmt: skip
        written = places[1::2] + places[0::2]
        rows = [
            {"title": f"Disc {disc} track {track:02}", "title_key": f"disc {disc} {track}",
             "album_id": album.id, "disc_number": disc, "track_number": track,
             "audio_file": f"a-{disc}-{track}.ogg", "original_filename": f"{disc}-{track}.ogg",
             "duration": 60.0, "kept_duplicate": False}
            for disc, track in written
        ]  # fmt: skip
        db.session.execute(insert(Song), rows)
        db.session.commit()
        songs = db.session.execute(
            select(Song.id, Song.disc_number, Song.track_number).where(Song.album_id == album.id)
        ).all()
        running = [row.id for row in sorted(songs, key=lambda row: (row[1], row[2]))]
        return album.id, running


def setlists_of(app, owner_id: int) -> dict[str, int]:
    """The owner's setlists, name -> id."""
    with app.app_context():
        rows = db.session.execute(
            select(Setlist.name, Setlist.id).where(Setlist.owner_id == owner_id)
        )
        return dict(rows.all())
