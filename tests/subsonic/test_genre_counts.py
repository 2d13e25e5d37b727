"""getGenres counts once per catalog change: a song given a new genre, or deleted, shows in
the next answer, in XML and JSON."""

import pytest

from app.extensions import db
from app.models import Song
from tests.subsonic import browsing
from tests.subsonic.test_browsing_contract import listed
from tests.subsonic.test_system_methods import one

library, listener = browsing.library, browsing.listener


def genres(subsonic, f: str, credentials: dict) -> dict[str, tuple]:
    """{genre: (songs, albums)} as getGenres answers now."""
    answer = subsonic.call("getGenres", f=f, **credentials)
    found = listed(one(answer["genres"]).get("genre", []))
    return {g["value"]: (int(g["songCount"]), int(g["albumCount"])) for g in found}


@pytest.mark.parametrize("f", ["json", "xml"])
def test_genres_follow_each_change(app, subsonic, library, listener, f):
    """Counted, asked again (the same), one Rock song turned Jazz, then that song deleted:
    each answer says what the catalog holds at that moment."""
    first = genres(subsonic, f, listener())
    assert first == {"Electronic": (1, 1), "Pop": (2, 1), "Rock": (4, 3)}
    assert genres(subsonic, f, listener()) == first
    with app.app_context():
        song = db.session.scalars(db.select(Song).where(Song.genre == "Rock")).first()
        song.genre, song_id = "Jazz", song.id
        db.session.commit()
        rock_albums = len(
            set(db.session.scalars(db.select(Song.album_id).where(Song.genre == "Rock")))
        )
    after = genres(subsonic, f, listener())
    assert after == {**first, "Jazz": (1, 1), "Rock": (3, rock_albums)}
    with app.app_context():
        db.session.delete(db.session.get(Song, song_id))
        db.session.commit()
    assert "Jazz" not in genres(subsonic, f, listener())
