"""What each corpus file should give (GOOD_FILES, BAD_FILES) and a corpus file as an upload."""

import io

GOOD_FILES = [
    # name, format, sample rate, channels, duration
    ("morning-light.mp3", "MP3", 22050, 1, 3.6),
    ("cafe-nocturne-vbr.mp3", "MP3", 22050, 1, 2.2),
    ("untagged-tone.mp3", "MP3", 44100, 2, 3.0),
    ("id3v24.mp3", "MP3", 22050, 1, 3.6),
    ("tone.ogg", "Ogg", 44100, 2, 3.0),
    ("tone.opus", "Ogg", 48000, 1, 1.0),
    ("tone.flac", "FLAC", 44100, 2, 3.0),
    ("tone.m4a", "M4A", 44100, 2, 3.0),
    ("tone.wav", "WAV", 22050, 1, 1.0),
]


BAD_FILES = [
    ("empty.mp3", "The file is empty."),
    ("truncated.mp3", "This MP3 file is damaged or truncated"),
    ("not-audio-really-jpeg.mp3", "This file is not audio"),
    ("html-disguised.mp3", "This file is not audio"),
    ("tone.ogg|renamed.mp3", "The file is named .mp3 but its content is Ogg"),
    ("tone.wav|renamed.flac", "The file is named .flac but its content is WAV"),
    # A valid WAV header with no samples: parseable, but nothing to play.
    ("no-frames.wav", "This WAV file is damaged or truncated"),
]


def upload(corpus, name: str) -> tuple[io.BytesIO, str]:
    """A corpus file as a form upload; "file|other-name" sends it under another name."""
    source, _, as_name = name.partition("|")
    return io.BytesIO((corpus / source).read_bytes()), as_name or source
