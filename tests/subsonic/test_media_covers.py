"""getCoverArt: an app shows an album's cover, whole or at a size made once and then read
from the cache; covers that are not there are error 70; who may not see albums is told so."""

import io
import os
import time
from pathlib import Path

import pytest
from PIL import Image

from app.media.configured_stores import cover_store
from app.media.cover_sizes import CoverSizes, cache_folder, served_size
from tests.subsonic.media_building import (
    browse_only_key,
    embedded_cover,
    error_code,
    stored_song,
    wide_png,
)


@pytest.fixture
def listener_key(app_password) -> str:
    """The Listener's app password (used as apiKey)."""
    return app_password("Listener")


def picture(response) -> Image.Image:
    """The image an answer carries (it must be one)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    image = Image.open(io.BytesIO(response.data))
    image.load()
    return image


def cached_files(app) -> list[Path]:
    """The resized covers in the cache folder."""
    folder = cache_folder(app.config["UPLOAD_FOLDER"])
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_cover_whole_and_at_sizes_by_album_or_song_id(app, subsonic, listener_key):
    """The stored cover as it is (by the album's id or a song's); with size, the aspect
    kept within size x size, sizes rounded up to 32 and bounded to 32-1200, never
    enlarged; no stored name in any header."""
    cover = wide_png()
    song = stored_song(app, cover=(cover, "png", "image/png"))
    whole = subsonic.raw("getCoverArt", apiKey=listener_key, id=song.album)
    assert whole.data == cover
    assert whole.mimetype == "image/png"
    assert subsonic.raw("getCoverArt", apiKey=listener_key, id=song.id).data == cover
    for asked, expected in [(100, (128, 64)), (64, (64, 32)), (1, (32, 16)), (300, (320, 160))]:
        image = picture(subsonic.raw("getCoverArt", apiKey=listener_key, id=song.id, size=asked))
        assert image.size == expected, asked
        assert image.format == "PNG"
    # Larger than the cover: the cover as it is (a 5000 is bounded to 1200 first).
    for asked in (480, 5000):
        same = subsonic.raw("getCoverArt", apiKey=listener_key, id=song.album, size=asked)
        assert same.data == cover
    huge = stored_song(app, cover=(wide_png(1500, 750), "png", "image/png"))
    bounded = subsonic.raw("getCoverArt", apiKey=listener_key, id=huge.album, size=5000)
    assert picture(bounded).size == (1200, 600)
    headers = " ".join(same.headers.values())
    stored = Path(os.listdir(Path(app.config["UPLOAD_FOLDER"]) / "covers")[0]).stem
    assert stored not in headers
    assert "cover-" in same.headers["Content-Disposition"]


def test_a_size_is_made_once_then_read_from_the_cache(app, subsonic, listener_key):
    """The first request for a size writes one cache file; the next is that file (not
    made again: its bytes and time unchanged); another size is another file; a size the
    cover already fits is its own bytes."""
    song = stored_song(app, cover=(embedded_cover(), "jpg", "image/jpeg"))
    first = subsonic.raw("getCoverArt", apiKey=listener_key, id=song.album, size=100)
    assert picture(first).size == (128, 128)
    assert first.mimetype == "image/jpeg"
    [entry] = cached_files(app)
    assert entry.read_bytes() == first.data
    made_at = entry.stat().st_mtime_ns
    second = subsonic.raw("getCoverArt", apiKey=listener_key, id=song.id, size=128)
    assert second.data == first.data
    assert entry.stat().st_mtime_ns == made_at
    # The cache file is what is sent: change it, and the next answer shows it.
    entry.write_bytes(b"\xff\xd8\xff marked")
    assert subsonic.raw("getCoverArt", apiKey=listener_key, id=song.id, size=100).data == (
        b"\xff\xd8\xff marked"
    )
    picture(subsonic.raw("getCoverArt", apiKey=listener_key, id=song.id, size=64))
    assert len(cached_files(app)) == 2
    # At its own size or more, the cover's own bytes (not encoded again), cached too.
    own = subsonic.raw("getCoverArt", apiKey=listener_key, id=song.id, size=300)
    assert own.data == embedded_cover()
    assert len(cached_files(app)) == 3


@pytest.mark.parametrize("f", ["json", "xml"])
def test_covers_that_are_not_there(app, subsonic, listener_key, f):
    """An album without a cover, unknown or malformed ids, an artist's id: 70; no id: 10;
    a cover file gone from the store: 70 whole or resized."""
    bare = stored_song(app)
    assert error_code(subsonic.call("getCoverArt", f, apiKey=listener_key)) == 10
    for bad in [bare.album, bare.id, "al-999999", "tr-999999", "ar-1", "al-0", "1", "x"]:
        for size in ({}, {"size": 64}):
            answer = subsonic.call("getCoverArt", f, apiKey=listener_key, id=bad, **size)
            assert error_code(answer) == 70, (bad, size)
    covered = stored_song(app, "morning-light.mp3", cover=(embedded_cover(), "jpg", "image/jpeg"))
    for path in (Path(app.config["UPLOAD_FOLDER"]) / "covers").iterdir():
        path.unlink()
    for size in ({}, {"size": 64}):
        gone = subsonic.call("getCoverArt", f, apiKey=listener_key, id=covered.album, **size)
        assert error_code(gone) == 70, size


def test_a_cover_that_is_no_image_is_sent_as_stored(app, subsonic, listener_key):
    """A stored cover Pillow cannot decode (a truncated JPEG) is sent as it is, with or
    without size, and nothing is cached: never a server error."""
    broken = embedded_cover()[:200]
    song = stored_song(app, cover=(broken, "jpg", "image/jpeg"))
    answer = subsonic.raw("getCoverArt", apiKey=listener_key, id=song.album, size=64)
    assert answer.status_code == 200
    assert answer.data == broken
    assert cached_files(app) == []
    bad_size = subsonic.call("getCoverArt", apiKey=listener_key, id=song.album, size="big")
    assert error_code(bad_size) == 0


def test_who_may_not_see_albums_gets_error_50(app, subsonic, catalogless_key):
    """A user whose role browses albums sees covers without any right to play; one who may
    see songs but not albums (the web's cover route asks for albums) and one whose role
    grants no catalog get error 50."""
    song = stored_song(app, cover=(embedded_cover(), "jpg", "image/jpeg"))
    browser = browse_only_key(app)
    assert subsonic.raw("getCoverArt", apiKey=browser, id=song.album).data == embedded_cover()
    songs_only = browse_only_key(app, "Songs only", ("SongModelView",))
    assert subsonic.call("getScanStatus", apiKey=songs_only)["status"] == "ok"
    for size in ({}, {"size": 64}):
        refused = subsonic.call("getCoverArt", apiKey=songs_only, id=song.id, **size)
        assert error_code(refused) == 50
    refused = subsonic.call("getCoverArt", apiKey=catalogless_key, id=song.album)
    assert error_code(refused) == 50


def test_the_cache_stays_within_its_bound(app, tmp_path):
    """Past its byte bound (measured here at every new file) the cache drops its least
    recently used files first; a size is rounded and bounded the same way every time."""
    assert [served_size(n) for n in (-5, 0, 31, 32, 33, 100, 1199, 1200, 9999)] == [
        32, 32, 32, 32, 64, 128, 1200, 1200, 1200,
    ]  # fmt: skip
    folder = tmp_path / "sizes"
    with app.app_context():
        store = cover_store()
        names = [store.save_bytes(wide_png(400 + n, 200), "png") for n in range(4)]
        cache = CoverSizes(folder, scan_every=1)
        made = [cache.resized(store, name, 64)[0] for name in names[:2]]
        bound = sum(path.stat().st_size for path in folder.iterdir()) + 10
        cache.max_bytes = bound
        old = time.time() - 10_000
        os.utime(folder / made[0], (old, old))
        newest = {cache.resized(store, name, 64)[0] for name in names[2:]}
    # The third pushed it past the bound: the two older went (the one used longest ago
    # first) until under 80 % of it; the fourth fitted.
    assert {path.name for path in folder.iterdir()} == newest
    assert sum(path.stat().st_size for path in folder.iterdir()) <= bound
