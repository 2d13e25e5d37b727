"""A long playlist of songs from many albums, some played twice: getPlaylist gives every
entry in order with its own album and author, and the listener's stars and ratings on
all of them (past the 500 ids one read of marks takes, past the batches songs are read
in), in a bounded number of statements."""

import time

from sqlalchemy import insert, select

from app.extensions import db
from app.models import Album, Author, Setlist, Song
from app.setlists.song_rows import BATCH
from tests.setlists.building import counted, fill
from tests.subsonic.lists_building import setlist

ALBUMS = 60
PER_ALBUM = 60


def many_albums() -> dict[int, int]:
    """ALBUMS albums of PER_ALBUM songs, each album by its own author: song id -> album
    number (0 to ALBUMS - 1)."""
    album_of: dict[int, int] = {}
    for number in range(ALBUMS):
        album = Album(title=f"Album {number}", author=Author(name=f"Author {number}"))
        db.session.add(album)
        db.session.flush()
        rows = [
            {"title": f"Song {number}-{track}", "title_key": f"song {number}-{track}",
             "album_id": album.id, "audio_file": f"a{number}-{track}.ogg",
             "original_filename": f"{track}.ogg", "duration": 60.0, "kept_duplicate": False,
             "track_number": track + 1}
            for track in range(PER_ALBUM)
        ]  # fmt: skip
        db.session.execute(insert(Song), rows)
        found = db.session.scalars(select(Song.id).where(Song.album_id == album.id))
        album_of.update((song_id, number) for song_id in found)
    db.session.commit()
    return album_of


def test_a_long_playlist_of_many_albums_with_repeats(app, subsonic, app_password, users):
    """3,600 songs interleaved across 60 albums, then the first 1,400 again (5,000 entries,
    past one batch of songs): each entry is its song, in order, with its album's name,
    author, ids and path; a song starred (or rated) is so at each of its places, wherever
    its id falls; the rest are not."""
    key = app_password("Listener")
    playlist_id = setlist(app, users["Listener"], "Everything twice")
    with app.app_context():
        album_of = many_albums()
        # Album by album would read the same as one album; interleaved, neighbours differ.
        songs = sorted(album_of, key=lambda song: (song % PER_ALBUM, song))
        in_order = songs + songs[:1400]
        fill(db.session.get(Setlist, int(playlist_id)), in_order)
        engine = db.engine
    assert len(set(in_order)) > BATCH
    starred = [*sorted(album_of)[::97], max(album_of)]
    assert subsonic.call("star", apiKey=key, id=[f"tr-{n}" for n in starred])["status"] == "ok"
    rated = sorted(album_of)[-1]
    assert subsonic.call("setRating", apiKey=key, id=f"tr-{rated}", rating=4)["status"] == "ok"

    with counted(engine) as statements:
        started = time.perf_counter()
        found = subsonic.call("getPlaylist", apiKey=key, id=playlist_id)["playlist"]
        elapsed = time.perf_counter() - started
    print(f"getPlaylist of {len(in_order)}: {elapsed * 1000:.0f} ms, {len(statements)} statements")
    listed = found["entry"]
    assert found["songCount"] == len(in_order) == len(listed)
    assert [entry["id"] for entry in listed] == [f"tr-{n}" for n in in_order]
    for entry, song in zip(listed, in_order, strict=True):
        number = album_of[song]
        assert (entry["album"], entry["artist"]) == (f"Album {number}", f"Author {number}")
        assert entry["path"].startswith(f"Author {number}/Album {number}/")
        assert entry["parent"] == entry["albumId"] == entry["coverArt"]
        assert ("starred" in entry) == (song in starred), entry["id"]
        assert entry.get("userRating") == (4 if song == rated else None)
    assert len({entry["albumId"] for entry in listed}) == ALBUMS
    assert len({entry["artistId"] for entry in listed}) == ALBUMS
    # Sign-in and the playlist, the order, songs and albums by batch, marks by 500.
    assert len(statements) <= 8 + 2 * (len(in_order) // BATCH + 1) + len(in_order) // 500
