"""What can be learnt from an audio file's content without trusting its name."""

import logging
from pathlib import Path

import mutagen

log = logging.getLogger(__name__)


def read_duration(path: Path) -> float | None:
    """The playing time in seconds, or None when the file cannot be parsed."""
    try:
        audio = mutagen.File(path)
    except Exception:  # mutagen raises many types for malformed input
        log.info("Could not parse %s for its duration", path.name, exc_info=True)
        return None
    if audio is None or audio.info is None:
        return None
    length = getattr(audio.info, "length", None)
    return round(length, 3) if length else None


def format_duration(seconds: float | None) -> str:
    """Seconds as m:ss (h:mm:ss past an hour); empty when unknown."""
    if seconds is None:
        return ""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
