"""Audio made on the spot by Debian's ffmpeg (lavfi sources), and ffmpeg's own measurements
(the reference the library must agree with); no database is needed."""

import shutil
import subprocess
from pathlib import Path

import pytest

from app.audio_analysis import available
from tests.audio_analysis.reference import FFMPEG, FFPROBE, SOURCES
from tests.support.databases import require


@pytest.fixture(scope="session")
def pyav():
    """PyAV with the FFmpeg parts the library needs: skip locally without, fail under CI=true."""
    ok, reason = available()
    require(ok, reason)


@pytest.fixture(scope="session")
def ffmpeg_tools():
    """Debian's ffmpeg and ffprobe, the reference: skip locally without, fail under CI=true."""
    require(bool(shutil.which(FFMPEG) and shutil.which(FFPROBE)), f"{FFMPEG} is not installed")


@pytest.fixture(scope="session")
def audio(tmp_path_factory, ffmpeg_tools, pyav):
    """Make (once per session) the named test file of SOURCES; its path."""
    folder = tmp_path_factory.mktemp("audio")
    made: dict[str, Path] = {}

    def make(name: str) -> Path:
        if name not in made:
            source, options, suffix = SOURCES[name]
            path = folder / f"{name}.{suffix}"
            command = [FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", source, *options]
            subprocess.run([*command, str(path)], check=True, timeout=60)
            made[name] = path
        return made[name]

    return make
