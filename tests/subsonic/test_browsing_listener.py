"""What each listener keeps shows in what they browse: their stars and ratings on songs,
albums and artists, and their own starred, highest, frequent and recent album lists;
another listener's marks and plays never show."""

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.listening import marks, plays
from tests.subsonic import browsing
from tests.subsonic.browsing import ids_of
from tests.subsonic.conftest import token_params

library, listener = browsing.library, browsing.listener


def user_id(app, username: str) -> int:
    """A user's id by name."""
    with app.app_context():
        return app.appbuilder.sm.find_user(username=username).id


@pytest.fixture
def kept(app, library, users) -> dict:
    """The Listener starred and rated some rows and played songs; the Editor marked and
    played others (which the Listener must not see)."""
    lisa, eddie = user_id(app, users["Listener"]), user_id(app, users["Editor"])
    albums, songs = library["albums"], library["songs"]
    start = datetime(2026, 5, 1, tzinfo=UTC)
    with app.app_context():
        session = db.session
        marks.star(session, lisa, "album", albums["Homogenic"])
        marks.star(session, lisa, "song", songs["Jóga"])
        marks.rate(session, lisa, "song", songs["Jóga"], 5)
        marks.star(session, lisa, "author", library["authors"]["AC/DC"])
        marks.rate(session, lisa, "album", albums["Help!"], 4)
        marks.rate(session, lisa, "album", albums["Abbey Road"], 2)
        for minutes, song in enumerate(["Hells Bells", "Yesterday", "Yesterday", "Help!"]):
            plays.record_play(session, lisa, songs[song], start + timedelta(minutes=minutes))
        plays.record_play(session, lisa, songs["What's Up"], start - timedelta(days=1))
        marks.star(session, eddie, "album", albums["Abbey Road"])
        marks.rate(session, eddie, "album", albums["Back in Black"], 5)
        for _ in range(5):
            plays.record_play(session, eddie, songs["Come Together"], start + timedelta(days=1))
        session.commit()
    return library


@pytest.mark.parametrize("f", ["json", "xml"])
def test_marks_show_on_the_listeners_rows(subsonic, kept, listener, f):
    """starred (a time) and userRating (1-5) appear on the listener's own marked songs,
    albums and artists, nowhere else."""
    song = subsonic.call("getSong", f=f, id=f"tr-{kept['songs']['Jóga']}", **listener())["song"]
    song = song[0] if f == "xml" else song
    assert song["starred"].startswith("20")
    assert str(song["userRating"]) == "5"
    album = subsonic.call("getAlbum", f=f, id=f"al-{kept['albums']['Homogenic']}", **listener())
    album = album["album"][0] if f == "xml" else album["album"]
    assert album["starred"]
    assert "userRating" not in album
    assert [("starred" in s) for s in album["song"]] == [True, False]
    abbey = subsonic.call("getAlbum", f=f, id=f"al-{kept['albums']['Abbey Road']}", **listener())
    abbey = abbey["album"][0] if f == "xml" else abbey["album"]
    assert "starred" not in abbey, "the Editor's star is theirs"
    assert str(abbey["userRating"]) == "2"
    index = subsonic.call("getArtists", f=f, **listener())["artists"]
    index = index[0] if f == "xml" else index
    starred = [a["name"] for g in index["index"] for a in g["artist"] if "starred" in a]
    assert starred == ["AC/DC"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("starred", ["Homogenic"]),
        ("highest", ["Help!", "Abbey Road"]),
        # Plays summed per album: Help! 3, then ties by newest album first.
        ("frequent", ["Help!", "Bigger, Better", "Back in Black"]),
        ("recent", ["Help!", "Back in Black", "Bigger, Better"]),
    ],
)
def test_the_listeners_own_album_lists(subsonic, kept, listener, kind, expected):
    """starred, highest, frequent and recent come from the listener's own data, in its
    order, paged by size and offset."""
    answer = subsonic.call("getAlbumList2", type=kind, size=50, **listener())
    assert [album["name"] for album in answer["albumList2"]["album"]] == expected
    paged = subsonic.call("getAlbumList2", type=kind, size=1, offset=1, **listener())
    assert [album["name"] for album in paged["albumList2"]["album"]] == expected[1:2]
    old = subsonic.call("getAlbumList", type=kind, size=50, **listener())
    assert ids_of(old["albumList"]["album"]) == [f"al-{kept['albums'][name]}" for name in expected]


def test_the_artist_index_follows_the_catalog(app, subsonic, library, listener):
    """getArtists is kept between requests (a song's change leaves it), yet a renamed
    artist, a new one and a deleted album show at once."""
    from app.models import Album, Author, Song
    from app.subsonic import artist_index

    def index() -> dict:
        groups = subsonic.call("getArtists", **listener())["artists"]["index"]
        return {a["name"]: a.get("albumCount") for g in groups for a in g["artist"]}

    assert index()["AC/DC"] == 1
    kept = artist_index.BUILT[True]
    with app.app_context():
        db.session.get(Song, library["songs"]["Hells Bells"]).title = "Hells Bells (live)"
        db.session.commit()
    assert index()["AC/DC"] == 1
    assert artist_index.BUILT[True] is kept, "a song's change changes no artist: kept"
    with app.app_context():
        db.session.get(Author, library["authors"]["AC/DC"]).name = "ACDC"
        db.session.commit()
    assert "ACDC" in index()
    assert artist_index.BUILT[True] is not kept
    with app.app_context():
        db.session.add(Author(name="Zaz"))
        db.session.commit()
    assert "Zaz" in index()
    with app.app_context():
        album = db.session.get(Album, library["albums"]["Help!"])
        for song in album.songs:
            db.session.delete(song)
        db.session.delete(album)
        db.session.commit()
    assert index()["The Beatles"] == 1


@pytest.mark.parametrize("f", ["json", "xml"])
def test_the_kept_index_carries_no_listeners_marks(
    app, subsonic, library, users, listener, app_password, f
):
    """The artist index is kept written between requests; each listener's stars and ratings
    are written on their own answer only, and a star taken back goes at once."""
    editor_password = app_password("Editor")
    lisa = user_id(app, users["Listener"])
    beatles = library["authors"]["The Beatles"]

    def index(params: dict) -> dict:
        answer = subsonic.call("getArtists", f=f, **params)["artists"]
        answer = answer[0] if f == "xml" else answer
        return {a["name"]: a for g in answer["index"] for a in g["artist"]}

    def editor() -> dict:
        return token_params(users["Editor"], editor_password)

    before = index(listener())
    assert not [name for name, a in before.items() if "starred" in a or "userRating" in a]
    with app.app_context():
        marks.star(db.session, lisa, "author", beatles)
        marks.rate(db.session, lisa, "author", library["authors"]["Björk"], 4)
        db.session.commit()
    mine = index(listener())
    assert "starred" in mine["The Beatles"]
    assert str(mine["Björk"]["userRating"]) == "4"
    assert mine.keys() == before.keys(), "every artist is still listed, in the same groups"
    assert str(mine["The Beatles"]["albumCount"]) == str(before["The Beatles"]["albumCount"])
    theirs = index(editor())
    assert not [name for name, a in theirs.items() if "starred" in a or "userRating" in a]
    with app.app_context():
        marks.star(db.session, lisa, "author", beatles, starred=False)
        db.session.commit()
    again = index(listener())
    assert "starred" not in again["The Beatles"]
    assert "userRating" in again["Björk"]
    assert index(editor()) == theirs
