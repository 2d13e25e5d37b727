"""Subsonic ids: stable strings naming one catalog row, parsed strictly.

    ar-<author id>   an artist (Setlist's author); also its directory in getMusicDirectory
    al-<album id>    an album; also its directory, and the cover art of the album and its songs
    tr-<song id>     a song (a track)

The number is the row's primary key written in plain decimal (no sign, no leading zero, no
more than an INTEGER column holds), so an id never changes while its row exists and two
spellings never name one row. Anything else is no id: a missing one is error 10, a
malformed or unknown one error 70 (not found), never a server error. The music folder keeps
its plain id 1 (app/subsonic/methods/system.py).
"""

import re

from app.database import INTEGER_RANGE
from app.subsonic.wire import NOT_FOUND, SubsonicError

ARTIST, ALBUM, SONG = "ar", "al", "tr"
KINDS = (ARTIST, ALBUM, SONG)
PATTERN = re.compile(r"(ar|al|tr)-([1-9][0-9]{0,9})")
WORDS = {ARTIST: "artist", ALBUM: "album", SONG: "song"}


def artist_id(author_id: int) -> str:
    """The Subsonic id of an author."""
    return f"{ARTIST}-{author_id}"


def album_id(album_id_: int) -> str:
    """The Subsonic id of an album (and of its cover art)."""
    return f"{ALBUM}-{album_id_}"


def song_id(song_id_: int) -> str:
    """The Subsonic id of a song."""
    return f"{SONG}-{song_id_}"


def parse_any(value: str | None) -> tuple[str, int] | None:
    """(kind, row id) of a well-formed id, None for anything else."""
    found = PATTERN.fullmatch(value or "")
    if found is None or int(found[2]) not in INTEGER_RANGE:
        return None  # PostgreSQL refuses to compare an INTEGER column with a bigger number
    return found[1], int(found[2])


def parse(value: str, *kinds: str) -> tuple[str, int]:
    """(kind, row id) of an id of one of `kinds`; error 70 naming what was expected."""
    parsed = parse_any(value)
    if parsed is None or parsed[0] not in kinds:
        wanted = " or ".join(WORDS[kind] for kind in kinds)
        raise SubsonicError(NOT_FOUND, f"No such {wanted}: {str(value)[:60]!r}.")
    return parsed


def row_id(value: str, kind: str) -> int:
    """The row id of an id that must be of one kind (error 70 otherwise)."""
    return parse(value, kind)[1]
