"""Building setlists for tests fast: songs and entries written in one statement each, the
order read back, and a counter of the SQL statements a call costs."""

from contextlib import contextmanager

from sqlalchemy import event, insert, select

from app.extensions import db
from app.models import Album, Author, Setlist, SetlistEntry, Song
from app.setlists.sizes import recount


def make_songs(count: int, duration: float = 60.0) -> list[int]:
    """`count` songs of one album written in one statement; their ids in order."""
    album = Album(title="Bulk", author=Author(name="Many"))
    db.session.add(album)
    db.session.flush()
    rows = [
        {"title": f"Track {number:05}", "title_key": f"track {number:05}", "album_id": album.id,
         "audio_file": f"bulk-{number}.ogg", "original_filename": f"{number}.ogg",
         "duration": duration, "kept_duplicate": False}
        for number in range(count)
    ]  # fmt: skip
    db.session.execute(insert(Song), rows)
    db.session.commit()
    return list(
        db.session.scalars(select(Song.id).where(Song.album_id == album.id).order_by(Song.id))
    )


def fill(setlist: Setlist, song_ids: list[int], step: int = 1024) -> None:
    """Entries for `song_ids` written in one statement, positions step apart (a big setlist
    built fast; the domain's add is tested on its own)."""
    rows = [
        {"setlist_id": setlist.id, "song_id": song_id, "position": (index + 1) * step}
        for index, song_id in enumerate(song_ids)
    ]
    db.session.execute(insert(SetlistEntry), rows)
    # Bulk rows pass no flush hook: count them as the scale demo does.
    recount(db.session, Setlist.id == setlist.id)
    db.session.commit()


def order(setlist_id: int) -> list[int]:
    """The setlist's entry ids in playing order."""
    return list(
        db.session.scalars(
            select(SetlistEntry.id)
            .where(SetlistEntry.setlist_id == setlist_id)
            .order_by(SetlistEntry.position, SetlistEntry.id)
        )
    )


@contextmanager
def counted(engine=None):
    """Count the SQL statements run inside the block: `with counted() as run: ...; run`.
    Outside an app context pass the engine (requests make their own context, and one held
    open would carry `g` from request to request)."""
    engine = engine if engine is not None else db.engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def songs_in(app, setlist_id: int) -> list[int]:
    """The song ids of a setlist, in playing order."""
    with app.app_context():
        return list(
            db.session.scalars(
                select(SetlistEntry.song_id)
                .where(SetlistEntry.setlist_id == setlist_id)
                .order_by(SetlistEntry.position, SetlistEntry.id)
            )
        )
