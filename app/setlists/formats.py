"""Setlist files written for other players: M3U8, XSPF and CSV, streamed as text chunks.

`Track` is what a writer takes, `Wanted` what a reader (parsing.py) gives back for matching,
`PlaylistError` what a reader refuses a file with.

Writers take plain `Track` values (no models, no Flask) and yield text; the caller encodes it
as UTF-8 and streams it. Each track's path is the song's original file name, so a local
player that holds the same files finds them; app/setlists/parsing.py reads these files back.
"""

import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from app.spreadsheet_cells import csv_lines, neutralised

#: The XSPF namespace (version 1).
XSPF_NAMESPACE = "http://xspf.org/ns/0/"
#: The columns of a setlist's CSV file; parsing.py reads them back by these names.
CSV_HEADER = ["position", "title", "artist", "album", "duration", "file name", "note"]
#: Characters that end a line for some reader (CR, LF, NEL, VT, FF, U+2028, U+2029...).
LINE_BREAKING_CATEGORIES = ("Cc", "Zl", "Zp")


@dataclass(frozen=True)
class Track:
    """One entry of a setlist as a file shows it: the song's words, length and file name."""

    title: str
    artist: str
    album: str
    duration: float | None
    original_filename: str | None
    note: str | None
    position: int


class PlaylistError(ValueError):
    """A file that cannot be imported; `message` (with %-style `params`) says why."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


@dataclass(frozen=True)
class Wanted:
    """One line of an imported file: what it names, for matching against the catalog."""

    line_number: int
    original_filename: str | None = None
    artist: str | None = None
    title: str | None = None
    duration: float | None = None
    note: str | None = None


def one_line(text: str | None) -> str:
    """Text that stays on its line: control and line-breaking characters become spaces and
    invisible formatting ones go, so a title cannot start a line of its own in a playlist
    (a forged path or directive) nor break XML 1.0, which refuses most control characters."""
    kept = []
    for char in text or "":
        category = unicodedata.category(char)
        if category in LINE_BREAKING_CATEGORIES:
            kept.append(" ")
        elif category not in ("Cf", "Cs"):
            kept.append(char)
    return " ".join("".join(kept).split())


def whole_seconds(duration: float | None) -> int:
    """A length in whole seconds for #EXTINF; -1 is M3U's "unknown"."""
    return round(duration) if duration is not None and duration >= 0 else -1


def m3u_path(track: Track) -> str:
    """The path line: the original file name, made relative with ./ when it starts with #
    (which every M3U reader takes for a comment); the title when no file name is known."""
    name = one_line(track.original_filename) or one_line(track.title) or "untitled"
    return f"./{name}" if name.startswith("#") else name


def m3u8_chunks(tracks: Iterable[Track]) -> Iterator[str]:
    """An extended M3U playlist in UTF-8 (M3U8): #EXTINF with seconds and "Artist - Title",
    then the file name, per track."""
    yield "#EXTM3U\n"
    for track in tracks:
        label = " - ".join(part for part in (one_line(track.artist), one_line(track.title)) if part)
        yield f"#EXTINF:{whole_seconds(track.duration)},{label}\n{m3u_path(track)}\n"


def xspf_track(track: Track) -> ET.Element:
    """A <track> element; ElementTree escapes the text, one_line drops what XML forbids."""
    element = ET.Element("track")
    if track.original_filename:
        # A relative URI reference: the file name, percent-encoded (spaces, #, ?, %).
        ET.SubElement(element, "location").text = quote(one_line(track.original_filename))
    for tag, value in (
        ("title", track.title),
        ("creator", track.artist),
        ("album", track.album),
        ("annotation", track.note),
    ):
        if one_line(value):
            ET.SubElement(element, tag).text = one_line(value)
    if track.duration is not None and track.duration >= 0:
        ET.SubElement(element, "duration").text = str(round(track.duration * 1000))
    return element


def xspf_chunks(tracks: Iterable[Track], title: str | None = None) -> Iterator[str]:
    """An XSPF playlist (XML, UTF-8), one <track> per chunk, so a long setlist streams."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<playlist version="1" xmlns="{XSPF_NAMESPACE}">\n'
    if one_line(title):
        heading = ET.Element("title")
        heading.text = one_line(title)
        yield "  " + ET.tostring(heading, encoding="unicode") + "\n"
    yield "  <trackList>\n"
    for track in tracks:
        yield "    " + ET.tostring(xspf_track(track), encoding="unicode") + "\n"
    yield "  </trackList>\n</playlist>\n"


def csv_row(track: Track) -> list:
    """One CSV row in CSV_HEADER's order, every text cell neutralised for spreadsheets."""
    duration = round(track.duration, 1) if track.duration is not None else None
    values = (
        track.position,
        track.title,
        track.artist,
        track.album,
        duration,
        track.original_filename,
        track.note,
    )
    return [neutralised(value) for value in values]


def csv_chunks(tracks: Iterable[Track]) -> Iterator[str]:
    """A CSV file (UTF-8 with BOM, as the lists' export): a header, then a row per track."""
    return csv_lines(CSV_HEADER, (csv_row(track) for track in tracks))
