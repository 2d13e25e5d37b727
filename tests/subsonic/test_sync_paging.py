"""A sync client walks the whole library with empty searches, page after page; the server
remembers where pages ended (app/subsonic/picking.py), and a catalog change in the middle
of the walk shows at once, as a plain offset would show it."""

from sqlalchemy import insert, select

from app.extensions import db
from app.models import Album, Song
from tests.subsonic import browsing

library, listener = browsing.library, browsing.listener
FILE = {"audio_file": "stored-late.ogg", "original_filename": "late.ogg"}


def song_ids(app) -> list[str]:
    """Every song's Subsonic id in id order, read straight from the database."""
    with app.app_context():
        return [f"tr-{number}" for number in db.session.scalars(select(Song.id).order_by(Song.id))]


def test_pages_follow_the_catalog_through_a_walk(app, subsonic, library, listener):
    """Pages of three songs walk the library; after a song on the first page is deleted the
    same offset gives the shifted page; a song added by an editor, or written by bulk SQL
    without the change recording, shows on the last page."""

    def page(offset: int, count: int = 3) -> list[str]:
        params = {"query": '""', "songCount": count, "songOffset": offset}
        found = subsonic.call("search3", artistCount=0, albumCount=0, **params, **listener())
        return [song["id"] for song in found["searchResult3"].get("song", [])]

    walked = [song for offset in range(0, 15, 3) for song in page(offset)]
    assert walked == song_ids(app)
    assert page(3) == walked[3:6], "the same page again, from where the page before ended"
    assert page(4, 2) == walked[4:6], "an offset no page ended at"
    with app.app_context():
        db.session.delete(db.session.get(Song, int(walked[1][3:])))
        db.session.commit()
    now = song_ids(app)
    assert page(3) == now[3:6] != walked[3:6]
    assert page(6) == now[6:9]
    with app.app_context():
        album = db.session.scalars(select(Album).order_by(Album.id)).first()
        album_id = album.id
        db.session.add(Song(title="Added Late", album=album, **FILE))
        db.session.commit()
    now = song_ids(app)
    assert page(len(now) - 1) == now[-1:]
    assert [song for offset in range(0, len(now), 3) for song in page(offset)] == now
    with app.app_context():
        db.session.execute(insert(Song).values(title="Bulk Written", album_id=album_id, **FILE))
        db.session.commit()
    assert page(len(now)) == song_ids(app)[-1:]


def test_a_jump_deep_into_the_catalog(app, subsonic, library, listener, monkeypatch):
    """A first page far from any page end marks ends along the way (here every 2 songs);
    pages anywhere then read as plain offsets would, before and after a deletion."""
    from app.subsonic import picking

    monkeypatch.setattr(picking, "STEP", 2)
    monkeypatch.setattr(picking, "FAR", 3)

    def page(offset: int, count: int = 2) -> list[str]:
        params = {"query": "", "songCount": count, "songOffset": offset}
        found = subsonic.call("search3", artistCount=0, albumCount=0, **params, **listener())
        return [song["id"] for song in found["searchResult3"].get("song", [])]

    every = song_ids(app)
    assert len(every) >= 8
    assert page(7) == every[7:9]
    assert picking.PAGE_ENDS["song"].offsets[:3] == [2, 4, 6]
    assert [page(offset) for offset in (5, 2, 6, 3)] == [
        every[5:7],
        every[2:4],
        every[6:8],
        every[3:5],
    ]
    with app.app_context():
        db.session.delete(db.session.get(Song, int(every[0][3:])))
        db.session.commit()
    now = song_ids(app)
    assert page(len(now) - 1) == now[-1:]
    assert [page(offset) for offset in (4, 1)] == [now[4:6], now[1:3]]
