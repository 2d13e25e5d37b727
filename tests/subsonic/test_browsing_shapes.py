"""A song's Subsonic shape: a synthetic path that names no stored file, typed numbers."""

from app.models.catalog import Album, Author, Song
from app.subsonic.shapes import song_child, stamp


def test_song_path_is_made_from_tags():
    """path is Artist/Album/NN Title.ext with slashes kept out of components; the stored
    name never appears."""
    author = Author(id=1, name="AC/DC")
    album = Album(id=2, title="Back in Black", author=author)
    song = Song(
        id=3, title="Hells Bells", album=album, track_number=1, audio_file="a1b2c3.mp3",
        original_filename="01-hells.MP3", duration=312.4, bitrate=320000,
    )  # fmt: skip
    child = song_child(song)
    assert child["path"] == "AC_DC/Back in Black/01 Hells Bells.mp3"
    assert "a1b2c3" not in str(child)
    assert child["duration"] == 312
    assert child["bitRate"] == 320
    assert child["contentType"] == "audio/mpeg"
    assert (child["id"], child["parent"], child["artistId"]) == ("tr-3", "al-2", "ar-1")
    assert stamp(None) is None
