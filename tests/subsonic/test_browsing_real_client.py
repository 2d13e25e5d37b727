"""A real client, py-sonic (libsonic), browses the library over real HTTP the way a phone app
does: artists -> artist -> album -> song, the folder view, searches by word and pages
through the whole library with an empty query, and album lists of several types."""

import libsonic
import pytest

from tests.subsonic import browsing
from tests.subsonic.test_real_client import connect

library = browsing.library


@pytest.fixture
def app_client(app, live_server, app_password, users, library) -> libsonic.Connection:
    """py-sonic signed in as the Listener by token, against the app on loopback."""
    return connect(live_server(app), users["Listener"], app_password("Listener"))


def test_py_sonic_browses_artist_album_song(app_client, library):
    """getArtists -> getArtist -> getAlbum -> getSong, and the same tree as folders."""
    indexes = app_client.getArtists()["artists"]["index"]
    artists = {a["name"]: a for group in indexes for a in group["artist"]}
    assert set(artists) == set(library["authors"])
    beatles = app_client.getArtist(artists["The Beatles"]["id"])["artist"]
    assert beatles["albumCount"] == 2
    albums = {album["name"]: album for album in beatles["album"]}
    abbey = app_client.getAlbum(albums["Abbey Road"]["id"])["album"]
    assert [song["title"] for song in abbey["song"]] == ["Come Together", "Something"]
    assert abbey["songCount"] == 2
    song = app_client.getSong(abbey["song"][1]["id"])["song"]
    assert (song["title"], song["album"], song["artist"]) == (
        "Something",
        "Abbey Road",
        "The Beatles",
    )
    assert song["path"] == "The Beatles/Abbey Road/02 Something.ogg"
    folder = app_client.getMusicDirectory(artists["Björk"]["id"])["directory"]
    album_folder = app_client.getMusicDirectory(folder["child"][0]["id"])["directory"]
    assert [child["title"] for child in album_folder["child"]] == ["Jóga", "Bachelorette"]
    with pytest.raises(libsonic.errors.DataNotFoundError):
        app_client.getAlbum("al-999999")
    with pytest.raises(libsonic.errors.DataNotFoundError):
        app_client.getSong("not-an-id")


def test_py_sonic_searches_and_syncs_the_library(app_client, library):
    """search3 finds a folded word; an empty query pages through every song, artist and
    album once with offsets, as sync clients do, then answers empty pages."""
    found = app_client.search3("bjork")["searchResult3"]
    assert [artist["name"] for artist in found["artist"]] == ["Björk"]
    assert [album["name"] for album in app_client.search3("homog")["searchResult3"]["album"]] == [
        "Homogenic"
    ]
    seen = {"song": [], "album": [], "artist": []}
    for offset in range(0, 12, 3):
        page = app_client.search3(
            '""', artistCount=3, artistOffset=offset, albumCount=3, albumOffset=offset,
            songCount=3, songOffset=offset,
        )["searchResult3"]  # fmt: skip
        for part, ids in seen.items():
            ids.extend(entry["id"] for entry in page.get(part, []))
    assert len(seen["song"]) == len(set(seen["song"])) == len(library["songs"])
    assert len(set(seen["album"])) == len(library["albums"])
    assert len(set(seen["artist"])) == len(library["authors"])
    old = app_client.search2("help")["searchResult2"]
    assert {song["title"] for song in old["song"]} == {"Help!"}


def test_py_sonic_reads_album_lists(app_client, library):
    """getAlbumList2 by name, newest, year range and random; genres and random songs."""
    by_name = app_client.getAlbumList2("alphabeticalByName", size=2, offset=1)["albumList2"]
    assert [album["name"] for album in by_name["album"]] == ["Back in Black", "Bigger, Better"]
    newest = app_client.getAlbumList2("newest", size=1)["albumList2"]["album"]
    assert newest[0]["name"] == "Bigger, Better"
    sixties = app_client.getAlbumList2("byYear", size=10, fromYear=1960, toYear=1969)
    assert [album["year"] for album in sixties["albumList2"]["album"]] == [1965, 1969]
    assert len(app_client.getAlbumList2("random", size=4)["albumList2"]["album"]) == 4
    genres = {genre["value"] for genre in app_client.getGenres()["genres"]["genre"]}
    assert genres == {"Electronic", "Pop", "Rock"}
    pop = app_client.getSongsByGenre("Pop")["songsByGenre"]["song"]
    assert {song["title"] for song in pop} == {"Help!", "Yesterday"}
    assert len(app_client.getRandomSongs(size=3)["randomSongs"]["song"]) == 3
