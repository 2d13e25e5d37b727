"""Contract tests of the browsing methods, in XML (Subsonic's namespace) and JSON: each
answer's elements carry the 1.16.1 schema's required attributes, typed, with the
OpenSubsonic fields Setlist has data for; no stored file name leaves the server."""

import pytest

from tests.subsonic import browsing
from tests.subsonic.browsing import ids_of
from tests.subsonic.test_system_methods import check_envelope, one, typed

FORMATS = ["json", "xml"]
ABBEY, BLACK, BIGGER, HELP, HOMOGENIC = (
    "Abbey Road", "Back in Black", "Bigger, Better", "Help!", "Homogenic",
)  # fmt: skip
# The shared fixtures, used by name.
library, listener = browsing.library, browsing.listener


def check_child(entry: dict, f: str, is_dir: bool = False) -> None:
    """A Child: id, isDir, title required; numbers typed; a song's synthetic path."""
    assert typed(entry["id"], f, str)
    assert typed(entry["isDir"], f, bool) is is_dir
    assert typed(entry["title"], f, str)
    for name in ("track", "year", "size", "duration", "bitRate", "discNumber", "userRating"):
        if name in entry:
            typed(entry[name], f, int)
    if not is_dir:
        assert entry["type"] == "music"
        assert entry["mediaType"] == "song"
        assert entry["path"].count("/") == 2
        assert entry["parent"] == entry["albumId"] == entry["coverArt"]
        assert entry["artists"], "OpenSubsonic's artists list"
    assert "stored-" not in str(entry)
    assert "secret name" not in str(entry)


def check_album(entry: dict, f: str) -> None:
    """An AlbumID3: id, name, songCount, duration, created required."""
    assert typed(entry["id"], f, str).startswith("al-")
    assert typed(entry["name"], f, str)
    assert typed(entry["songCount"], f, int) >= 0
    assert typed(entry["duration"], f, int) >= 0
    assert typed(entry["created"], f, str).endswith("Z")
    assert entry["artistId"].startswith("ar-")


def check_artist(entry: dict, f: str) -> None:
    """An ArtistID3: id, name, albumCount required."""
    assert typed(entry["id"], f, str).startswith("ar-")
    assert typed(entry["name"], f, str)
    assert typed(entry["albumCount"], f, int) >= 0


def listed(value) -> list:
    """Repeated elements as a list (JSON leaves out an empty list's key in none of ours)."""
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("f", FORMATS)
def test_artists_and_indexes(subsonic, library, listener, f):
    """getArtists groups every artist by index letter, articles ignored ("The Beatles"
    under B), digits under #; getIndexes the same as directories with lastModified."""
    artists = one(subsonic.call("getArtists", f=f, **listener())["artists"])
    assert artists["ignoredArticles"].split()[0] == "The"
    index = {group["name"]: group for group in listed(artists["index"])}
    assert list(index) == ["#", "A", "B"]
    assert [a["name"] for a in listed(index["B"]["artist"])] == ["The Beatles", "Björk"]
    for group in index.values():
        for artist in listed(group["artist"]):
            check_artist(artist, f)
    beatles = listed(index["B"]["artist"])[0]
    assert typed(beatles["albumCount"], f, int) == 2
    answer = subsonic.call("getIndexes", f=f, **listener())
    check_envelope(answer, f)
    indexes = one(answer["indexes"])
    assert typed(indexes["lastModified"], f, int) > 0
    names = [a["name"] for g in listed(indexes["index"]) for a in listed(g["artist"])]
    assert names == ["4 Non Blondes", "AC/DC", "The Beatles", "Björk"]
    later = typed(indexes["lastModified"], f, int) + 86_400_000
    unchanged = one(
        subsonic.call("getIndexes", f=f, ifModifiedSince=later, **listener())["indexes"]
    )
    assert not unchanged.get("index")


@pytest.mark.parametrize("f", FORMATS)
def test_artist_album_song(subsonic, library, listener, f):
    """getArtist lists its albums by year; getAlbum its songs in track order with totals;
    getSong one song; each typed as the schema says."""
    beatles = f"ar-{library['authors']['The Beatles']}"
    artist = one(subsonic.call("getArtist", f=f, id=beatles, **listener())["artist"])
    check_artist(artist, f)
    albums = listed(artist["album"])
    assert [album["name"] for album in albums] == ["Help!", "Abbey Road"]
    for album in albums:
        check_album(album, f)
    help_id = albums[0]["id"]
    album = one(subsonic.call("getAlbum", f=f, id=help_id, **listener())["album"])
    check_album(album, f)
    assert typed(album["songCount"], f, int) == 2
    assert typed(album["duration"], f, int) == 401
    songs = listed(album["song"])
    assert [song["title"] for song in songs] == ["Help!", "Yesterday"]
    for song in songs:
        check_child(song, f)
    assert songs[0]["path"] == "The Beatles/Help!/01 Help!.ogg"
    song = one(subsonic.call("getSong", f=f, id=songs[1]["id"], **listener())["song"])
    check_child(song, f)
    assert typed(song["bitRate"], f, int) == 160
    assert typed(song["year"], f, int) == 1965
    assert song["contentType"] == "audio/ogg"


@pytest.mark.parametrize("f", FORMATS)
def test_music_directories(subsonic, library, listener, f):
    """An artist's directory holds its albums (isDir), an album's its songs, second disc last."""
    bjork = f"ar-{library['authors']['Björk']}"
    directory = one(subsonic.call("getMusicDirectory", f=f, id=bjork, **listener())["directory"])
    assert directory["name"] == "Björk"
    albums = listed(directory["child"])
    check_child(albums[0], f, is_dir=True)
    assert albums[0]["parent"] == bjork
    answer = subsonic.call("getMusicDirectory", f=f, id=albums[0]["id"], **listener())
    songs = listed(one(answer["directory"])["child"])
    assert [song["title"] for song in songs] == ["Jóga", "Bachelorette"]
    assert typed(songs[1]["discNumber"], f, int) == 2
    assert songs[1]["path"] == "Björk/Homogenic/2-04 Bachelorette.ogg"


@pytest.mark.parametrize("f", FORMATS)
def test_artist_and_album_info(subsonic, library, listener, f):
    """getArtistInfo(2) carry the biography; getAlbumInfo(2) answer an empty albumInfo."""
    acdc = f"ar-{library['authors']['AC/DC']}"
    for method, element in (("getArtistInfo", "artistInfo"), ("getArtistInfo2", "artistInfo2")):
        info = one(subsonic.call(method, f=f, id=acdc, **listener())[element])
        assert (
            info["biography"] == "About AC/DC." or info["biography"][0]["value"] == "About AC/DC."
        )
    album = f"al-{library['albums']['Back in Black']}"
    for method in ("getAlbumInfo", "getAlbumInfo2"):
        answer = subsonic.call(method, f=f, id=album, **listener())
        check_envelope(answer, f)
        assert "albumInfo" in answer


@pytest.mark.parametrize("f", FORMATS)
def test_genres_and_songs_by_genre(subsonic, library, listener, f):
    """getGenres names each genre with its song and album counts (text value); getSongsByGenre
    pages through a genre's songs with count and offset."""
    genres = listed(one(subsonic.call("getGenres", f=f, **listener())["genres"])["genre"])
    counted = {
        g["value"]: (typed(g["songCount"], f, int), typed(g["albumCount"], f, int)) for g in genres
    }
    assert counted == {"Electronic": (1, 1), "Pop": (2, 1), "Rock": (4, 3)}
    pages = []
    for offset in (0, 2, 4):
        answer = subsonic.call(
            "getSongsByGenre", f=f, genre="Rock", count=2, offset=offset, **listener()
        )
        pages.append([s["title"] for s in listed(one(answer["songsByGenre"]).get("song", []))])
    assert pages == [["Come Together", "Something"], ["Hells Bells", "What's Up"], []]


@pytest.mark.parametrize("f", FORMATS)
@pytest.mark.parametrize(
    ("kind", "extra", "expected"),
    [
        ("alphabeticalByName", {}, [ABBEY, BLACK, BIGGER, HELP, HOMOGENIC]),
        ("alphabeticalByArtist", {}, [BIGGER, BLACK, HOMOGENIC, ABBEY, HELP]),
        ("newest", {}, [BIGGER, BLACK, HOMOGENIC, HELP, ABBEY]),
        ("byYear", {"fromYear": 1965, "toYear": 1980}, [HELP, ABBEY, BLACK]),
        ("byYear", {"fromYear": 1997, "toYear": 1969}, [HOMOGENIC, BIGGER, BLACK, ABBEY]),
        ("byGenre", {"genre": "Pop"}, [HELP]),
    ],
)  # fmt: skip
def test_album_lists(subsonic, library, listener, f, kind, extra, expected):
    """getAlbumList2 of each catalog-wide type in its order; getAlbumList the same albums as
    directories; size and offset page through it."""
    answer = subsonic.call("getAlbumList2", f=f, type=kind, size=50, **extra, **listener())
    albums = listed(one(answer["albumList2"]).get("album", []))
    for album in albums:
        check_album(album, f)
    assert [album["name"] for album in albums] == expected
    old = subsonic.call("getAlbumList", f=f, type=kind, size=2, offset=1, **extra, **listener())
    directories = listed(one(old["albumList"]).get("album", []))
    for directory in directories:
        check_child(directory, f, is_dir=True)
    assert [d["title"] for d in directories] == expected[1:3]


@pytest.mark.parametrize("f", FORMATS)
def test_random_albums_and_songs(subsonic, library, listener, f):
    """random lists hold distinct rows of the library, at most `size`, filters honoured."""
    answer = subsonic.call("getAlbumList2", f=f, type="random", size=3, **listener())
    albums = ids_of(listed(one(answer["albumList2"])["album"]))
    assert len(albums) == len(set(albums)) == 3
    assert set(albums) <= {f"al-{number}" for number in library["albums"].values()}
    answer = subsonic.call("getRandomSongs", f=f, size=500, **listener())
    songs = listed(one(answer["randomSongs"])["song"])
    assert len({s["id"] for s in songs}) == len(library["songs"])
    for song in songs:
        check_child(song, f)
    rock_60s = subsonic.call(
        "getRandomSongs", f=f, genre="Rock", fromYear=1960, toYear=1970, **listener()
    )
    titles = {s["title"] for s in listed(one(rock_60s["randomSongs"])["song"])}
    assert titles == {"Come Together", "Something"}


@pytest.mark.parametrize("f", FORMATS)
@pytest.mark.parametrize("method", ["search2", "search3"])
def test_search_by_word(subsonic, library, listener, f, method):
    """A folded word finds artists, albums by title and songs, each part on its own."""
    element = "searchResult3" if method == "search3" else "searchResult2"
    found = one(subsonic.call(method, f=f, query="BJORK", **listener())[element])
    assert [a["name"] for a in listed(found["artist"])] == ["Björk"]
    assert not found.get("album")
    albums = listed(one(subsonic.call(method, f=f, query="homo", **listener())[element])["album"])
    assert [a.get("name") or a["title"] for a in albums] == ["Homogenic"]
    if method == "search3":
        check_artist(listed(found["artist"])[0], f)
        check_album(albums[0], f)
    else:
        check_child(albums[0], f, is_dir=True)
    songs = one(subsonic.call(method, f=f, query="jog", **listener())[element])
    assert [s["title"] for s in listed(songs["song"])] == ["Jóga"]
    check_child(listed(songs["song"])[0], f)
