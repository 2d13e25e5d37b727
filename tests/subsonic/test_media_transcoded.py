"""stream with format and maxBitRate: a real client (py-sonic) gets MP3 or Opus at the
bitrate it asked for, or the original for format=raw; the choice follows the song."""

import io
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.media.transcodes import profile_for
from app.models import Song
from tests.subsonic.test_real_client import connect
from tests.support.generated_audio import noise_song, probe


@pytest.mark.parametrize(
    ("asked_format", "max_kbps", "audio_format", "bitrate", "chosen"),
    [
        ("raw", 64, "FLAC", 900_000, None),
        (None, 0, "FLAC", 900_000, None),
        (None, 320, "MP3", 256_000, None),
        (None, 256, "MP3", 256_000, None),
        (None, 192, "FLAC", 900_000, "mp3-192"),
        (None, 160, "FLAC", 900_000, "mp3-128"),
        (None, 96, "FLAC", 900_000, "opus-96"),
        (None, 32, "FLAC", 900_000, "opus-96"),
        (None, 96, "Ogg", None, None),
        ("opus", 0, "MP3", 128_000, "opus-96"),
        ("mp3", 0, "FLAC", 900_000, "mp3-192"),
        ("mp3", 128, "FLAC", 900_000, "mp3-128"),
        ("mp3", 0, "MP3", 320_000, None),
        ("mp3", 128, "MP3", 320_000, "mp3-128"),
        ("aac", 96, "FLAC", 900_000, "opus-96"),
    ],
)
def test_format_and_bit_rate_pick_a_profile(asked_format, max_kbps, audio_format, bitrate, chosen):
    """Subsonic's format and maxBitRate (kbit/s) against the song's own format and bitrate."""
    song = SimpleNamespace(audio_format=audio_format, bitrate=bitrate)
    profile = profile_for(asked_format, max_kbps, song)
    assert (profile.name if profile else None) == chosen


def test_py_sonic_gets_mp3_opus_or_the_original(
    app, live_server, app_password, users, login_as, tmp_path
):
    """A 256 kbit/s MP3: maxBitRate=128&format=mp3 is MP3 at about 128 kbit/s (then ranged
    from the cache, 206), format=raw the original bytes, maxBitRate=96 Opus."""
    noise = noise_song(tmp_path)
    admin = login_as("Admin")
    data = {"album": "", "audio_file": (io.BytesIO(noise.read_bytes()), "noise.mp3")}
    assert admin.submit("/songs/add", data).status_code == 302
    with app.app_context():
        song_id = f"tr-{db.session.query(Song.id).scalar()}"
    server = live_server(app)
    password = app_password("Listener")
    connection = connect(server, users["Listener"], password)
    with connection.stream(song_id, maxBitRate=128, tformat="mp3") as mp3:
        assert mp3.headers["Content-Type"] == "audio/mpeg"
        whole = mp3.read()
    probed = probe(whole, tmp_path)
    assert probed["codec_name"] == "mp3"
    assert int(probed["bit_rate"]) == pytest.approx(128_000, rel=0.10)
    ranged = connect(server, users["Listener"], password, customHeaders={"Range": "bytes=0-99"})
    with ranged.stream(song_id, maxBitRate=128, tformat="mp3") as part:
        assert (part.status, part.read()) == (206, whole[:100])
    with connection.stream(song_id, tformat="raw") as original:
        assert original.read() == noise.read_bytes()
    with connection.stream(song_id, maxBitRate=96) as opus:
        assert opus.headers["Content-Type"] == "audio/ogg"
        assert probe(opus.read(), tmp_path)["codec_name"] == "opus"
