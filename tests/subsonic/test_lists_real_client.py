"""py-sonic (libsonic), a real Subsonic client, manages a Listener's playlist, stars, rates,
scrobbles and saves its play queue against the app served on loopback; what it does is
what the site keeps (the same setlist, marks, plays and queue)."""

import libsonic
import pytest

from tests.subsonic.lists_building import album_and_artist, songs, stored
from tests.subsonic.test_real_client import connect


def song_ids(playlist: dict) -> list[str]:
    """The song ids of a py-sonic playlist, in order (it gives one entry as a dict)."""
    found = playlist.get("entry", [])
    return [entry["id"] for entry in (found if isinstance(found, list) else [found])]


def test_py_sonic_manages_a_playlist(app, live_server, app_password, users):
    """Create with songs, reorder by replacing, remove by index, rename, list, delete; a
    deleted or malformed playlist id is py-sonic's DataNotFoundError (70); an Editor's
    private playlist is not found either."""
    server = live_server(app)
    sonic = connect(server, users["Listener"], app_password("Listener"))
    ids = songs(app, 4)
    made = sonic.createPlaylist(name="Commute", songIds=ids[:3])["playlist"]
    playlist_id = made["id"]
    assert song_ids(sonic.getPlaylist(playlist_id)["playlist"]) == ids[:3]
    sonic.createPlaylist(playlistId=playlist_id, songIds=[ids[3], ids[0], ids[1], ids[2]])
    sonic.updatePlaylist(playlist_id, songIndexesToRemove=[2])
    sonic.updatePlaylist(playlist_id, name="Morning commute", comment="Quiet ones")
    read = sonic.getPlaylist(playlist_id)["playlist"]
    assert song_ids(read) == [ids[3], ids[0], ids[2]]
    assert (read["name"], read["comment"], read["songCount"]) == (
        "Morning commute",
        "Quiet ones",
        3,
    )
    assert stored(app, playlist_id).name == "Morning commute"
    listed = sonic.getPlaylists()["playlists"]["playlist"]
    listed = listed if isinstance(listed, list) else [listed]
    assert [p["id"] for p in listed] == [playlist_id]
    sonic.deletePlaylist(playlist_id)
    assert stored(app, playlist_id) is None
    for missing in (playlist_id, "pl-1", "0"):
        with pytest.raises(libsonic.errors.DataNotFoundError):
            sonic.getPlaylist(missing)


def test_py_sonic_stars_rates_scrobbles_and_queues(app, live_server, app_password, users, login_as):
    """Star a song, its album and artist, rate the song: getStarred2 shows them; unstar the
    album; two submitted scrobbles make "2 plays" on the web's Most played page; a saved
    queue comes back; bad ids and ratings raise py-sonic's errors, never a server error."""
    server = live_server(app)
    sonic = connect(server, users["Listener"], app_password("Listener"))
    first, second = songs(app, 2)
    album, artist = album_and_artist(app, first)
    sonic.star(sids=[first], albumIds=[album], artistIds=[artist])
    sonic.setRating(first, 5)
    starred = sonic.getStarred2()["starred2"]
    assert starred["song"][0]["id"] == first
    assert starred["song"][0]["userRating"] == 5
    assert starred["album"][0]["id"] == album
    assert starred["artist"][0]["id"] == artist
    sonic.unstar(albumIds=[album])
    assert not sonic.getStarred2()["starred2"].get("album")
    sonic.scrobble(first)
    sonic.scrobble(first, submission=True)
    sonic.scrobble(second, submission=False)
    assert sonic.getNowPlaying()["nowPlaying"]["entry"][0]["id"] == second
    most_played = login_as("Listener").get("/my/most/list/").get_data(as_text=True)
    assert ">Track 00000</a>" in most_played
    assert 'data-label="Plays">2<' in most_played.replace("\n", "").replace(" <", "<")
    assert "Track 00001" not in most_played  # only "now playing", no play counted
    sonic.savePlayQueue([first, second], current=second, position=30000)
    queue = sonic.getPlayQueue()["playQueue"]
    assert (queue["current"], queue["position"]) == (second, 30000)
    assert [entry["id"] for entry in queue["entry"]] == [first, second]
    assert queue["changedBy"] == "py-sonic tests"
    with pytest.raises(libsonic.errors.DataNotFoundError):
        sonic.star(sids=["tr-99999999"])
    with pytest.raises(libsonic.errors.SonicError):
        sonic.setRating(first, 9)
    with pytest.raises(libsonic.errors.DataNotFoundError):
        sonic.scrobble("not-an-id")
