"""The "probe" kind: what the file's own header says of it (format, length, rate).

The simplest real job, read with mutagen: it proves the road from an upload to a stored
result, and the analysis kinds (loudness, waveform) travel the same road.
"""

from pathlib import Path

import mutagen

from app.jobs.kinds import JobKind, register_kind


class NoAudioHeader(ValueError):
    """mutagen recognised no audio format in the file."""


def probe(path: Path) -> dict:
    """The file's format and stream properties as mutagen reads them."""
    audio = mutagen.File(path)
    if audio is None:
        raise NoAudioHeader("no audio format recognised")
    info = audio.info
    return {
        "format": type(audio).__name__,
        "duration": round(float(getattr(info, "length", 0.0) or 0.0), 3),
        "bitrate": getattr(info, "bitrate", None),
        "sample_rate": getattr(info, "sample_rate", None),
        "channels": getattr(info, "channels", None),
    }


PROBE = register_kind(JobKind("probe", probe))
