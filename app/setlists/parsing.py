"""Playlist files read for an import: M3U/M3U8, XSPF and CSV become `Wanted` lines.

Nothing here opens a path a file names: only its base name is kept, to match a song's
original file name. Limits keep a hostile file cheap: at most MAX_BYTES read, MAX_ENTRIES
entries, each text clipped to MAX_TEXT; binary files, XML with a DTD (entity bombs, external
entities) and empty files are refused with a `PlaylistError` the page can show.

Encoding: UTF-8 (with or without BOM) first, UTF-16 when a BOM says so (Windows Notepad's
"Unicode"), else Windows-1252, the code page Winamp and Windows players wrote .m3u files in
(a superset of Latin-1's printable characters); that guess is told in `Playlist.notices`,
since a wrong guess only fails matches, which the import's report then shows line by line.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from app.media.file_store import display_name
from app.setlists.formats import CSV_HEADER, PlaylistError, Wanted, one_line
from app.setlists.rules import N_
from app.setlists.xspf_reading import xspf_entries

#: Largest file read (10,000 XSPF entries take about 3 MB; M3U8 about half).
MAX_BYTES = 5 * 1024 * 1024
#: Most entries one import takes: twice the largest setlist the catalog is sized for (5,000).
MAX_ENTRIES = 10_000
#: Longest text kept of a title, artist, file name or note (the catalog's are 200 to 255).
MAX_TEXT = 300
EXTINF = re.compile(r"#EXTINF:\s*(-?\d+(?:\.\d+)?)?[^,]*,(.*)", re.IGNORECASE)
#: A cell our CSV export neutralised: a ' before a formula character (see spreadsheet_cells).
NEUTRALISED = re.compile(r"((?:^|[,;\t|\r\n])[\s\"]*)'([=+\-@＝＋－＠\t\r])")
#: Header names (folded) -> the Wanted field their column fills.
CSV_COLUMNS = {
    **dict.fromkeys(("file name", "original file name", "filename"), "original_filename"),
    **dict.fromkeys(("file", "path", "location"), "original_filename"),
    **dict.fromkeys(("artist", "author", "creator", "performer"), "artist"),
    **dict.fromkeys(("title", "song", "track", "name"), "title"),
    **dict.fromkeys(("duration", "length", "seconds", "time"), "duration"),
    **dict.fromkeys(("note", "notes", "comment", "annotation"), "note"),
}


@dataclass
class Playlist:
    """What a file held: its entries in order, its title, and notices about the reading."""

    entries: list[Wanted]
    title: str | None = None
    notices: list[str] = field(default_factory=list)


def clipped(text: str | None) -> str | None:
    """Text for a Wanted field: on one line, visible characters only, at most MAX_TEXT; None
    if nothing is left."""
    kept = one_line(text)[:MAX_TEXT]
    return kept or None


def base_name(path: str | None) -> str | None:
    """The file name at the end of a path or URL ("C:\\Music\\a.mp3", "../a.mp3",
    "file:///x/a%20b.mp3"), as the upload form kept it; the path itself is never used."""
    path = (path or "").strip()
    if re.match(r"[a-z][a-z0-9+.-]+://", path, re.IGNORECASE):
        path = unquote(urlsplit(path).path)
    name = PurePosixPath(path.replace("\\", "/")).name
    return clipped(display_name(name)) if name.strip(". ") else None


def seconds(text: str | None) -> float | None:
    """A length given as seconds ("185", "185.3") or clock time ("3:05", "1:02:03")."""
    try:
        parts = [float(part) for part in (text or "").strip().split(":")]
    except ValueError:
        return None
    if not parts or len(parts) > 3 or any(part < 0 for part in parts):
        return None
    total = 0.0
    for part in parts:
        total = total * 60 + part
    return total if total < 10**7 else None


def counted(entries: list[Wanted], entry: Wanted) -> None:
    """Add an entry, refusing a file past MAX_ENTRIES as soon as it gets there."""
    if len(entries) >= MAX_ENTRIES:
        raise PlaylistError(
            N_("The file has more than %(limit)s entries."), limit=f"{MAX_ENTRIES:,}"
        )
    entries.append(entry)


def parse_m3u(text: str) -> list[Wanted]:
    """The entries of an M3U/M3U8 playlist, with or without #EXTINF lines."""
    entries: list[Wanted] = []
    info: re.Match | None = None
    # Lines end at LF (CR dropped) only: str.splitlines would also break at characters
    # such as U+2028 inside a title, which M3U readers do not.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip().lstrip("\ufeff")
        if line.startswith("#"):
            info = EXTINF.match(line) or (None if line.upper().startswith("#EXTINF") else info)
            continue
        if not line:
            continue
        artist = title = duration = None
        if info:
            label = info.group(2).strip()
            artist, _, title = label.partition(" - ") if " - " in label else ("", "", label)
            duration = float(info.group(1)) if info.group(1) else None
            duration = duration if duration is None or duration >= 0 else None
        name = base_name(line)
        counted(entries, Wanted(number, name, clipped(artist), clipped(title), duration))
        info = None
    return entries


def unneutralised(text: str) -> str:
    """A cell as it was before a spreadsheet-safe export put ' before its formula characters
    (a spreadsheet hides that leading ' too)."""
    return NEUTRALISED.sub(r"\1\2", text) if "'" in text else text


def csv_columns(header: list[str]) -> dict[int, str]:
    """Column index -> Wanted field, from a header row's names."""
    names = [" ".join(unneutralised(cell).casefold().split()) for cell in header]
    return {index: CSV_COLUMNS[name] for index, name in enumerate(names) if name in CSV_COLUMNS}


def parse_csv(text: str) -> list[Wanted]:
    """The rows of a CSV file with a header naming its columns: our export's, or as few as
    "artist,title"; the separator is the header's commonest of , ; and tab."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    # Rows end at CR/LF only (newline=""), not at U+2028 and the like inside a cell.
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    entries: list[Wanted] = []
    try:
        columns = csv_columns(next(rows, []))
        if not {"title", "original_filename"} & set(columns.values()):
            raise PlaylistError(
                N_("A CSV file needs a header row naming its columns: %(columns)s."),
                columns=", ".join(CSV_HEADER[1:]),
            )
        for row in rows:
            values: dict = {}
            for index, cell in enumerate(row):
                if index in columns and cell.strip():
                    values.setdefault(columns[index], unneutralised(cell))
            if values:
                wanted = Wanted(
                    rows.line_num,
                    base_name(values.get("original_filename")),
                    clipped(values.get("artist")),
                    clipped(values.get("title")),
                    seconds(values.get("duration")),
                    clipped(values.get("note")),
                )
                counted(entries, wanted)
    except csv.Error as error:
        raise PlaylistError(
            N_("The CSV file is malformed near line %(line)s."), line=rows.line_num
        ) from error
    return entries


def decoded(data: bytes, notices: list[str]) -> str:
    """The file's text, by the encoding rule in this module's docstring."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise PlaylistError(N_("The file is not valid UTF-16 text.")) from error
    if b"\x00" in data:
        raise PlaylistError(N_("This is not a playlist: the file holds binary data."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise PlaylistError(N_("The file is neither UTF-8 nor Windows-1252 text.")) from error
    notices.append(N_("The file is not UTF-8: it was read as Windows-1252 (Western European)."))
    return text


def read_playlist(stream, filename: str = "") -> Playlist:
    """Read an uploaded playlist (a binary stream) of any supported format, within the limits.

    The format is XSPF when the file is XML, CSV when it is named .csv or its first line
    names a title column, M3U otherwise (a
    list of paths is an M3U without #EXTINF). Raises PlaylistError with a clear message.
    """
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PlaylistError(N_("The file is larger than %(limit)s MB."), limit=MAX_BYTES // 2**20)
    if not data.strip():
        raise PlaylistError(N_("The file is empty."))
    playlist = Playlist([])
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        playlist.title, found = xspf_entries(data, MAX_ENTRIES)
        playlist.entries = [
            Wanted(n, base_name(f), *map(clipped, (a, t)), d, clipped(c))
            for n, f, a, t, d, c in found
        ]
    else:
        text = decoded(data, playlist.notices)
        header = csv_columns(next(csv.reader([text.split("\n", 1)[0]]), []))
        is_csv = filename.lower().endswith(".csv") or "title" in header.values()
        playlist.entries = parse_csv(text) if is_csv else parse_m3u(text)
    if not playlist.entries:
        raise PlaylistError(N_("The file names no songs (only comments or blank lines)."))
    return playlist
