"""Songs made on the spot by Debian's ffmpeg, long enough for a bitrate to mean something,
and ffprobe's reading of what the app sends."""

import shutil
import subprocess
from pathlib import Path

from tests.support.databases import require

FFMPEG, FFPROBE = "/usr/bin/ffmpeg", "/usr/bin/ffprobe"
#: 10 s of pink noise as a 256 kbit/s MP3: above every profile's bitrate, about 320 KB.
NOISE = ("anoisesrc=d=10:c=pink:a=0.3:seed=5", ["-ac", "2", "-ar", "44100", "-b:a", "256k"])


def noise_song(folder: Path, name: str = "noise.mp3") -> Path:
    """A 10-second stereo MP3 of pink noise in `folder` (skip locally without ffmpeg)."""
    require(bool(shutil.which(FFMPEG) and shutil.which(FFPROBE)), f"{FFMPEG} is not installed")
    source, options = NOISE
    path = folder / name
    command = [FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", source, *options, str(path)]
    subprocess.run(command, check=True, timeout=60)
    return path


def probe(data: bytes, folder: Path) -> dict[str, str]:
    """ffprobe's codec name, format and bitrate of bytes a client received."""
    path = folder / "received"
    path.write_bytes(data)
    command = [
        FFPROBE,
        "-v",
        "error",
        "-show_entries",
        "stream=codec_name:format=bit_rate,format_name",
    ]
    command += ["-of", "default=noprint_wrappers=1", str(path)]
    output = subprocess.run(command, capture_output=True, text=True, timeout=60).stdout
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)
