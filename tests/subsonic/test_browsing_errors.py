"""Bad ids and odd arguments to the browsing methods are Subsonic errors (10 missing, 70 not
found, 0 malformed), never a server error; users who may not browse get error 50; a page
costs the same statements whatever its size."""

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import Song
from app.subsonic.picking import ROUNDS
from tests.setlists.building import counted, make_songs
from tests.subsonic import browsing

library, listener = browsing.library, browsing.listener

MISSING, NOT_FOUND, BAD = 10, 70, 0
CASES = [
    ("getArtist", {}, MISSING),
    ("getArtist", {"id": "ar-999999"}, NOT_FOUND),
    ("getArtist", {"id": "al-1"}, NOT_FOUND),
    ("getArtist", {"id": "ar-01"}, NOT_FOUND),
    ("getArtist", {"id": "ar-" + "9" * 40}, NOT_FOUND),
    # Past an INTEGER column's range: PostgreSQL would refuse the comparison.
    ("getArtist", {"id": "ar-" + "9" * 18}, NOT_FOUND),
    ("getMusicDirectory", {"id": "al-2147483648"}, NOT_FOUND),
    ("getAlbum", {"id": "tr-1"}, NOT_FOUND),
    ("getAlbum", {"id": "<al-1>"}, NOT_FOUND),
    ("getSong", {"id": "12"}, NOT_FOUND),
    ("getSong", {"id": "tr-999999"}, NOT_FOUND),
    ("getSong", {"id": ""}, NOT_FOUND),
    ("getMusicDirectory", {"id": "tr-1"}, NOT_FOUND),
    ("getMusicDirectory", {"id": "1"}, NOT_FOUND),
    ("getMusicDirectory", {}, MISSING),
    ("getArtistInfo2", {}, MISSING),
    ("getArtistInfo", {"id": "ar-x"}, NOT_FOUND),
    ("getAlbumInfo2", {"id": "al-0"}, NOT_FOUND),
    ("getAlbumList2", {}, MISSING),
    ("getAlbumList2", {"type": "bogus"}, BAD),
    ("getAlbumList2", {"type": "newest", "size": "ten"}, BAD),
    ("getAlbumList2", {"type": "newest", "size": "-1"}, BAD),
    ("getAlbumList2", {"type": "newest", "offset": "-5"}, BAD),
    ("getAlbumList2", {"type": "newest", "offset": "9" * 30}, BAD),
    ("getAlbumList", {"type": "byYear", "fromYear": "1990"}, MISSING),
    ("getAlbumList", {"type": "byYear", "fromYear": "x", "toYear": "1990"}, BAD),
    ("getAlbumList2", {"type": "byGenre"}, MISSING),
    ("getSongsByGenre", {}, MISSING),
    ("getSongsByGenre", {"genre": "Rock", "count": "1.5"}, BAD),
    ("getRandomSongs", {"fromYear": "x"}, BAD),
    ("search3", {"query": "x", "songCount": "abc"}, BAD),
    ("search2", {"query": "x", "artistOffset": "-1"}, BAD),
    ("getIndexes", {"ifModifiedSince": "yesterday"}, BAD),
]


@pytest.mark.parametrize("f", ["json", "xml"])
@pytest.mark.parametrize(("method", "params", "code"), CASES)
def test_bad_ids_and_arguments_are_subsonic_errors(
    subsonic, library, listener, f, method, params, code
):
    """Each bad call answers HTTP 200 with the Subsonic error code the spec gives."""
    response = subsonic.raw(
        method, **({"f": "json"} if f == "json" else {}), **params, **listener()
    )
    assert response.status_code == 200
    if f == "xml":
        assert f'code="{code}"'.encode() in response.get_data()
    else:
        assert response.json["subsonic-response"]["error"]["code"] == code


def test_large_sizes_are_cut_and_odd_queries_answer(subsonic, library, listener):
    """A size over 500 is cut to 500 (clients ask for more), a query of control characters
    or only quotes is answered, an unknown musicFolderId is ignored."""
    albums = subsonic.call("getAlbumList2", type="newest", size=100000, **listener())
    assert len(albums["albumList2"]["album"]) == 5
    odd = subsonic.call("search3", query="\x1f%_*", **listener())
    assert odd["status"] == "ok"
    assert subsonic.call("search3", query='""', **listener())["searchResult3"]["song"]
    assert subsonic.call("getArtists", musicFolderId="7", **listener())["status"] == "ok"


def test_users_who_may_not_browse_get_error_50(app, subsonic, library, catalogless_key):
    """A user whose roles grant no catalog gets error 50 from every browsing method."""
    key = catalogless_key
    album = f"al-{library['albums']['Help!']}"
    for method, params in (
        ("getArtists", {}), ("getIndexes", {}), ("getAlbum", {"id": album}),
        ("getAlbumList2", {"type": "newest"}), ("search3", {"query": ""}), ("getGenres", {}),
        ("getRandomSongs", {}), ("getSong", {"id": "tr-1"}),
    ):  # fmt: skip
        assert subsonic.call(method, apiKey=key, **params)["error"]["code"] == 50, method


@pytest.fixture
def many_songs(app) -> list[int]:
    """60 songs on one album."""
    with app.app_context():
        return make_songs(60)


def test_a_page_costs_the_same_statements_whatever_its_size(app, subsonic, listener, many_songs):
    """search3 (empty query), getAlbumList2 and getRandomSongs read a page of 50 songs or
    albums in as many statements as a page of 5: no query per row."""
    with app.app_context():
        engine = db.engine
    # The first sign-in of a password notes its use: done before counting.
    assert subsonic.call("ping", **listener())["status"] == "ok"
    calls = {
        "search3": lambda size: {"query": "", "songCount": size, "artistCount": size},
        "getRandomSongs": lambda size: {"size": size},
        "getSongsByGenre": lambda size: {"genre": "None", "count": size},
        "getAlbumList2": lambda size: {"type": "alphabeticalByName", "size": size},
    }
    for method, params in calls.items():
        costs = []
        for size in (5, 50):
            with counted(engine) as run:
                answer = subsonic.call(method, **params(size), **listener())
            assert answer["status"] == "ok", answer
            costs.append(len(run))
        # Random picks try at most ROUNDS batches of ids before shuffling what is left.
        spare = ROUNDS if method == "getRandomSongs" else 0
        assert costs[1] <= costs[0] + spare, (method, costs)
    with counted(engine) as run:
        album = subsonic.call(
            "getAlbum", id="al-" + str(album_of(app, many_songs[0])), **listener()
        )
    assert len(album["album"]["song"]) == 60
    assert len(run) <= costs[0] + 2


def test_pages_hold_at_most_500(app, subsonic, listener):
    """Asking for more than 500 rows gets 500 (clients ask for 1,000 and page on)."""
    with app.app_context():
        db.session.execute(update(Song).where(Song.id.in_(make_songs(501))).values(genre="Bulk"))
        db.session.commit()
    found = subsonic.call("search3", query="", songCount=100000, **listener())
    assert len(found["searchResult3"]["song"]) == 500
    rest = subsonic.call("search3", query="", songCount=1000, songOffset=500, **listener())
    assert len(rest["searchResult3"]["song"]) == 1
    genre = subsonic.call("getSongsByGenre", genre="Bulk", count=1000, **listener())
    assert len(genre["songsByGenre"]["song"]) == 500
    assert (
        len(subsonic.call("getRandomSongs", size=501, **listener())["randomSongs"]["song"]) == 500
    )


def album_of(app, song: int) -> int:
    """A song's album id."""
    with app.app_context():
        return db.session.get(Song, song).album_id
