"""The song-file tests' corpus (the fixture files plus variants made from them) and an album
to upload into."""

import shutil
import wave

import pytest
from mutagen.flac import FLAC
from mutagen.id3 import ID3, TALB, TIT2, TPE1
from mutagen.mp4 import MP4, MP4Cover

from app.extensions import db
from app.models import Album, Author


@pytest.fixture(scope="session")
def corpus(tmp_path_factory, audio_dir):
    """The fixture files plus variants made from them (ID3v2.4, markup in tags)."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in audio_dir.iterdir():
        shutil.copy(path, folder / path.name)
    shutil.copy(audio_dir / "morning-light.mp3", folder / "id3v24.mp3")
    ID3(folder / "id3v24.mp3").save(v2_version=4)
    hostile = folder / "hostile.mp3"
    shutil.copy(audio_dir / "untagged-tone.mp3", hostile)
    tags = ID3()
    tags.add(TIT2(encoding=3, text="<script>alert('title')</script>"))
    tags.add(TPE1(encoding=3, text="<b>Evil</b> & Co"))
    tags.add(TALB(encoding=3, text="<i>Album</i>"))
    tags.save(hostile)
    # An M4A whose cover sits in its "covr" atom (the picture of morning-light.mp3).
    covered = folder / "covered.m4a"
    shutil.copy(audio_dir / "tone.m4a", covered)
    picture = ID3(audio_dir / "morning-light.mp3").getall("APIC")[0].data
    m4a = MP4(covered)
    m4a["\xa9ART"], m4a["\xa9alb"], m4a["\xa9nam"] = ["Atom Artist"], ["Atom Album"], ["Covered"]
    m4a["covr"] = [MP4Cover(picture, imageformat=MP4Cover.FORMAT_JPEG)]
    m4a.save()
    # Tags carrying NUL (PostgreSQL refuses it), an escape, CR/LF and a right-to-left override.
    hidden = folder / "hidden-characters.flac"
    shutil.copy(audio_dir / "tone.flac", hidden)
    flac = FLAC(hidden)
    flac["title"], flac["artist"] = "Night\x00 Train", "\u202eRadio\x1b Bell"
    flac["album"], flac["genre"] = "Line\r\n Signals", "Jazz\x00"
    flac.save()
    with wave.open(str(folder / "no-frames.wav"), "wb") as silent:
        silent.setnchannels(1)
        silent.setsampwidth(2)
        silent.setframerate(8000)
    return folder


@pytest.fixture
def album_id(app) -> int:
    """An empty album to upload into."""
    with app.app_context():
        album = Album(title="Uploads", author=Author(name="Uploader"))
        db.session.add(album)
        db.session.commit()
        return album.id
