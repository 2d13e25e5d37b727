"""What an uploaded file really is: checked by magic bytes and parsed, never trusted by name."""

from dataclasses import dataclass, field
from typing import BinaryIO

import mutagen
from flask_babel import lazy_gettext as _
from mutagen.flac import FLAC
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

from app.media.text import visible_text

MAGIC_BYTES = 12
OPUS_RATE = 48000


@dataclass(frozen=True)
class AudioFormat:
    """One accepted format: its name, MIME type and mutagen parsers."""

    name: str
    mime_type: str
    parsers: tuple


MP3_FORMAT = AudioFormat("MP3", "audio/mpeg", (MP3,))
OGG_FORMAT = AudioFormat("Ogg", "audio/ogg", (OggVorbis, OggOpus))
FLAC_FORMAT = AudioFormat("FLAC", "audio/flac", (FLAC,))
M4A_FORMAT = AudioFormat("M4A", "audio/mp4", (MP4,))
WAV_FORMAT = AudioFormat("WAV", "audio/wav", (WAVE,))

FORMATS_BY_EXTENSION = {
    "mp3": MP3_FORMAT,
    "ogg": OGG_FORMAT,
    "oga": OGG_FORMAT,
    # Opus travels in Ogg too; the Ogg parsers read Opus as well as Vorbis.
    "opus": OGG_FORMAT,
    "flac": FLAC_FORMAT,
    "m4a": M4A_FORMAT,
    "wav": WAV_FORMAT,
}


class NotAudio(ValueError):
    """The content is not audio of the format its name claims; the message says why."""


@dataclass
class AudioInfo:
    """What a valid audio file told us about itself; tag values are untrusted text."""

    format: AudioFormat
    duration: float | None
    bitrate: int | None
    sample_rate: int | None
    channels: int | None
    tags: dict[str, str] = field(default_factory=dict)
    #: The embedded picture's bytes; its kind is read from the bytes when it is stored.
    cover: bytes | None = None


def sniff_format(head: bytes) -> AudioFormat | None:
    """The format the first bytes of a file announce, if any."""
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return MP3_FORMAT
    if head.startswith(b"OggS"):
        return OGG_FORMAT
    if head.startswith(b"fLaC"):
        return FLAC_FORMAT
    if head[4:8] == b"ftyp":
        return M4A_FORMAT
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV_FORMAT
    return None


def inspect_audio(stream: BinaryIO, extension: str) -> AudioInfo:
    """Check that a seekable stream holds audio matching its extension and describe it."""
    expected = FORMATS_BY_EXTENSION.get(extension)
    if expected is None:
        raise NotAudio(_("Files ending in .%(extension)s are not accepted.", extension=extension))
    stream.seek(0)
    head = stream.read(MAGIC_BYTES)
    if not head:
        raise NotAudio(_("The file is empty."))
    found = sniff_format(head)
    if found is None:
        raise NotAudio(
            _("This file is not audio (its content is not MP3, Ogg, Opus, FLAC, M4A or WAV).")
        )
    if found is not expected:
        raise NotAudio(
            _(
                "The file is named .%(extension)s but its content is %(format)s; "
                "rename it or choose the right file.",
                extension=extension,
                format=found.name,
            )
        )
    audio = parse(stream, expected)
    info = audio.info
    return AudioInfo(
        format=expected,
        duration=round(info.length, 3) if getattr(info, "length", None) else None,
        bitrate=getattr(info, "bitrate", None) or average_bitrate(stream, info.length),
        # Opus always decodes at 48 kHz (its header's rate only says what went in).
        sample_rate=getattr(info, "sample_rate", None)
        or (OPUS_RATE if isinstance(audio, OggOpus) else None),
        channels=getattr(info, "channels", None) or None,
        tags=read_tags(audio),
        **read_cover(audio),
    )


def average_bitrate(stream: BinaryIO, seconds: float) -> int | None:
    """Bits per second over the whole file, for formats that do not state it (Opus)."""
    size = stream.seek(0, 2)
    return round(size * 8 / seconds) if seconds else None


def parse(stream: BinaryIO, expected: AudioFormat):
    """Parse the stream with the format's parsers; a damaged file is NotAudio."""
    for parser in expected.parsers:
        stream.seek(0)
        try:
            audio = parser(stream)
        except (mutagen.MutagenError, EOFError, ValueError, IndexError, OverflowError):
            continue
        if audio.info is not None and getattr(audio.info, "length", 0):
            return audio
    raise NotAudio(
        _(
            "This %(format)s file is damaged or truncated and cannot be played.",
            format=expected.name,
        )
    )


#: Our tag names and where each format keeps them (ID3 frames, Vorbis comments, MP4 atoms).
TAG_KEYS = {
    "title": ("TIT2", "title", "\xa9nam"),
    "artist": ("TPE1", "artist", "\xa9ART"),
    "album": ("TALB", "album", "\xa9alb"),
    "track": ("TRCK", "tracknumber", "trkn"),
    # "1/2" in ID3 and MP4; Vorbis comments say "discnumber" (some taggers "disc").
    "disc": ("TPOS", "discnumber", "disc", "disk"),
    "year": ("TDRC", "date", "\xa9day"),
    "genre": ("TCON", "genre", "\xa9gen"),
}


def first_text(value) -> str:
    """The first value of a tag, whatever shape the format stores it in, as text."""
    if hasattr(value, "text"):
        value = value.text
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if isinstance(value, tuple):
        value = value[0]
    return visible_text(str(value)).strip()


def read_tags(audio) -> dict[str, str]:
    """Title, artist, album, track, disc, year and genre, where the file has them."""
    tags = audio.tags
    if not tags:
        return {}
    found = {}
    for name, keys in TAG_KEYS.items():
        for key in keys:
            try:
                value = tags.get(key)
            except (KeyError, ValueError, TypeError):
                value = None
            if value:
                text = first_text(value)
                if text:
                    found[name] = text[:200]
                    break
    return found


def read_cover(audio) -> dict:
    """The embedded front cover (or first picture), as bytes."""
    if isinstance(audio, FLAC):
        pictures = [picture.data for picture in audio.pictures]
    elif isinstance(audio, MP4):
        pictures = list(audio.tags.get("covr", [])) if audio.tags else []
    elif audio.tags is not None and hasattr(audio.tags, "getall"):
        pictures = [frame.data for frame in audio.tags.getall("APIC")]
    else:
        pictures = []
    return {"cover": bytes(pictures[0])} if pictures else {}


def parse_number(text: str | None, low: int, high: int) -> int | None:
    """A whole number from tag text like "3/12" or "2024-05-01", if within bounds."""
    if not text:
        return None
    digits = ""
    for char in text.strip():
        if not char.isdigit():
            break
        digits += char
    if not digits:
        return None
    number = int(digits)
    return number if low <= number <= high else None


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
