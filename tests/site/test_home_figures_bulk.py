"""The home page's figures follow ORM bulk statements too (`session.execute(insert(Song),
rows)`, scripts and imports write that way): no flush sees them, so their commit recounts."""

import hashlib

from sqlalchemy import delete, insert, text, update

from app.extensions import db
from app.models import Album, Author, Song
from tests.site.test_home import add_rated_songs
from tests.site.test_home_figures import check, kept, truth


def bulk_rows(album_id: int, titles: list[str]) -> list[dict]:
    """Rows for an ORM bulk insert of songs of 60 s on the album."""
    return [
        {
            "title": title,
            "album_id": album_id,
            "duration": 60.0,
            "file_size": 100,
            "audio_file": f"{title}.ogg",
            "original_filename": "x.ogg",
            "sha256": hashlib.sha256(title.encode()).hexdigest(),
        }
        for title in titles
    ]


def run(app, statement, rows=None, commit: bool = True) -> None:
    """Execute one ORM bulk statement (with its rows) in a transaction; commit it, or roll
    it back."""
    with app.app_context():
        db.session.execute(statement, rows)
        if commit:
            db.session.commit()
        else:
            db.session.rollback()


def test_bulk_statements_move_the_figures_at_their_commit(app, login_as):
    """Bulk insert, a genre set in bulk, an album moved to another author in bulk, a bulk
    insert rolled back, a bulk delete: after each, the counters equal a fresh count and the
    page shows it; a bulk update of columns no figure counts recounts nothing."""
    add_rated_songs(app)
    listener = login_as("Listener")
    check(app, listener)
    with app.app_context():
        album_id = db.session.scalar(text("SELECT id FROM album"))
        other = Author(name="Other")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    titles = ["Bulk A", "Bulk B", "Bulk C"]
    run(app, insert(Song), bulk_rows(album_id, titles))
    assert check(app, listener)[("total", "", 0)][0] == 5
    run(app, update(Song).where(Song.title.in_(titles)).values(genre="Bulk"))
    assert check(app, listener)[("genre", "Bulk", 0)][0] == 3
    run(app, update(Album).where(Album.id == album_id).values(author_id=other_id))
    assert check(app, listener)[("author", "", other_id)][0] == 5
    run(app, insert(Song), bulk_rows(album_id, ["Undone"]), commit=False)
    assert check(app, listener)[("total", "", 0)][0] == 5
    run(app, delete(Song).where(Song.title == "Bulk B"))
    assert check(app, listener)[("genre", "Bulk", 0)][0] == 2

    # A loudness job's bulk update moves no figure: no recount (it would read every song),
    # seen by a hand edit it leaves as wrong as it was.
    run(app, text("UPDATE song SET genre = 'Hand' WHERE title = 'Bulk A'"))
    run(app, update(Song).where(Song.title == "Bulk C").values(track_gain_db=-3.0))
    assert kept(app) != {key: value for key, value in truth(app).items() if key != "names"}
