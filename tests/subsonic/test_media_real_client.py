"""A real client, py-sonic (libsonic), plays a song by a byte range, saves it, and shows its
album's cover at a size, over real HTTP with an app password."""

import io

import libsonic
import pytest
from PIL import Image

from tests.subsonic.media_building import embedded_cover, stored_song
from tests.subsonic.test_real_client import connect


@pytest.mark.parametrize("options", [{}, {"legacyAuth": True}], ids=["token", "enc"])
def test_py_sonic_streams_a_range_and_shows_a_cover(app, live_server, app_password, users, options):
    """py-sonic (which POSTs its calls) streams the first 100 bytes (206), downloads the
    whole file, fetches the cover at 64 px and the whole cover, and gets Subsonic's error
    70 (DataNotFoundError) for a cover that is not there."""
    server = live_server(app)
    password = app_password("Listener")
    song = stored_song(app, "morning-light.mp3", cover=(embedded_cover(), "jpg", "image/jpeg"))
    ranged = connect(server, users["Listener"], password,
                     customHeaders={"Range": "bytes=0-99"}, **options)  # fmt: skip
    with ranged.stream(song.id) as part:
        assert part.status == 206
        assert part.headers["Content-Range"] == f"bytes 0-99/{len(song.content)}"
        assert part.read() == song.content[:100]
    connection = connect(server, users["Listener"], password, **options)
    with connection.download(song.id) as whole:
        assert whole.read() == song.content
    with connection.getCoverArt(song.album, size=64) as small:
        assert Image.open(io.BytesIO(small.read())).size == (64, 64)
    with connection.getCoverArt(song.id) as cover:
        assert cover.read() == embedded_cover()
    with pytest.raises(libsonic.errors.DataNotFoundError):
        connection.getCoverArt("al-999999")
