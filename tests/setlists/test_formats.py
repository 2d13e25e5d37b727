"""Setlist files: what the writers put in M3U8, XSPF and CSV, and how hostile files are refused.

No database here: writers and readers take and give plain values (test_matching.py puts them
against a catalog).
"""

import codecs
import csv
import io
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from app.setlists import parsing
from app.setlists.formats import Track, csv_chunks, m3u8_chunks, xspf_chunks
from app.setlists.parsing import MAX_BYTES, MAX_ENTRIES, PlaylistError, read_playlist
from tests.support.apps import AUDIO

HOSTILE = Track(
    title='=HYPERLINK("http://x")\r\n#EXTINF:1,Forged\n../../etc/passwd',
    artist="Björk, -DC\u2028",
    album="Tom & <Jerry>",
    duration=185.4,
    original_filename="#1 hit.mp3",
    note="@segue\ttalk-over",
    position=1,
)
PLAIN = Track("Plain Song", "Queen", "A Night", None, "plain song.mp3", None, 2)
WRITERS = {"list.m3u8": m3u8_chunks, "list.xspf": xspf_chunks, "list.csv": csv_chunks}


def read(data: bytes | str, name: str = "list.m3u8"):
    """A playlist read from bytes (text is encoded as UTF-8)."""
    raw = data.encode() if isinstance(data, str) else data
    return read_playlist(io.BytesIO(raw), name)


def written(name: str, tracks=(HOSTILE, PLAIN)) -> str:
    """The whole text a writer streams for these tracks."""
    return "".join(WRITERS[name](tracks))


def test_m3u8_has_extinf_lines_and_file_names_and_no_injected_line():
    """#EXTINF with whole seconds and "Artist - Title"; the title's line breaks are spaces, so
    the forged #EXTINF and path stay inside the title; a name starting with # gets ./"""
    lines = written("list.m3u8").split("\n")
    assert lines[0] == "#EXTM3U"
    assert lines[1].startswith("#EXTINF:185,Björk, -DC - =HYPERLINK")
    assert "#EXTINF:1,Forged ../../etc/passwd" in lines[1]
    assert lines[2] == "./#1 hit.mp3"
    assert lines[3:] == ["#EXTINF:-1,Queen - Plain Song", "plain song.mp3", ""]


def test_xspf_is_namespaced_escaped_xml_with_milliseconds_and_relative_locations():
    """A namespaced XSPF document that parses; the location is the percent-encoded file name."""
    namespace = {"x": "http://xspf.org/ns/0/"}
    root = ET.fromstring(written("list.xspf").encode())  # noqa: S314 - our own output
    first, second = root.findall("x:trackList/x:track", namespace)
    assert first.findtext("x:location", namespaces=namespace) == "%231%20hit.mp3"
    assert first.findtext("x:album", namespaces=namespace) == "Tom & <Jerry>"
    assert first.findtext("x:duration", namespaces=namespace) == "185400"
    assert first.findtext("x:annotation", namespaces=namespace) == "@segue talk-over"
    assert second.find("x:duration", namespace) is None


def test_csv_cells_cannot_become_formulas():
    """The export's rule: a ' before every formula a cell could start, numbers left alone."""
    rows = list(csv.reader(io.StringIO(written("list.csv").removeprefix("\ufeff"))))
    assert rows[0] == ["position", "title", "artist", "album", "duration", "file name", "note"]
    assert rows[1][0] == "1"
    assert rows[1][1].startswith("'=HYPERLINK")
    assert rows[1][2] == "Björk, '-DC\u2028"
    assert rows[1][4] == "185.4"
    assert rows[1][6] == "'@segue\ttalk-over"


@pytest.mark.parametrize("name", WRITERS)
def test_each_format_reads_back_what_it_wrote(name):
    """Write -> read gives each entry's file name, artist, title and length, in order."""
    entries = read(written(name), name).entries
    assert [entry.original_filename for entry in entries] == ["#1 hit.mp3", "plain song.mp3"]
    assert [entry.artist for entry in entries] == ["Björk, -DC", "Queen"]
    assert entries[0].title.startswith("=HYPERLINK")
    assert entries[1].title == "Plain Song"
    assert entries[0].duration == pytest.approx(185.4, abs=0.5)
    assert entries[1].duration is None


def test_an_xspf_as_vlc_writes_it():
    """file:// URIs, extension elements, a second location ignored, odd durations dropped."""
    document = """<?xml version="1.0" encoding="UTF-8"?>
<playlist xmlns="http://xspf.org/ns/0/" xmlns:vlc="http://www.videolan.org/vlc/playlist/ns/0/"
  version="1"><title>Friday</title><trackList>
  <track><location>file:///home/ana/M%C3%BAsica/caf%C3%A9.mp3</location>
    <location>http://example.org/other.mp3</location><title>Café</title><duration>²</duration>
    <extension application="http://www.videolan.org/vlc/playlist/0"><vlc:id>0</vlc:id>
    </extension></track>
  <track><title>No file</title><creator>Someone</creator><duration>61000</duration></track>
</trackList></playlist>"""
    playlist = read(document, "friday.xspf")
    first, second = playlist.entries
    assert playlist.title == "Friday"
    assert (first.line_number, first.original_filename, first.title) == (4, "café.mp3", "Café")
    assert first.duration is None
    assert (second.original_filename, second.artist, second.duration) == (None, "Someone", 61.0)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("C:\\Music\\Queen\\a.mp3", "a.mp3"),
        ("../../../etc/passwd", "passwd"),
        ("/home/x/Música/b c.flac", "b c.flac"),
        ("file:///home/x/b%20c.flac", "b c.flac"),
        ("https://example.org/music/d.ogg?x=1", "d.ogg"),
        ("\\\\server\\share\\e.mp3", "e.mp3"),
        ("..", None),
    ],
)
def test_only_the_base_name_of_a_path_is_kept(line, name):
    """Windows, relative, absolute and URL paths all come down to the file name."""
    entries = parsing.parse_m3u(f"{line}\nkeep.mp3\n")
    assert entries[0].original_filename == name


def test_m3u_without_extinf_with_bom_and_crlf():
    """A bare list of paths (BOM, CRLF, comments) is an M3U; line numbers are the file's."""
    entries = read("\ufeffa.mp3\r\n# comment\r\n\r\nb.mp3\r\n").entries
    assert [(entry.line_number, entry.original_filename) for entry in entries] == [
        (1, "a.mp3"),
        (4, "b.mp3"),
    ]
    assert entries[0].title is None


def test_a_minimal_artist_title_csv_and_semicolons():
    """A spreadsheet's own file: "artist,title", or ; as a Spanish Excel saves it."""
    commas = read("artist,title\nQueen,Bohemian Rhapsody\n", "mine.csv").entries
    semicolons = read("Artist;Title;Length\nQueen;Bohemian Rhapsody;5:55\n", "mine.csv").entries
    assert (commas[0].artist, commas[0].title, commas[0].line_number) == (
        "Queen",
        "Bohemian Rhapsody",
        2,
    )
    assert semicolons[0].duration == 355


def test_a_csv_without_a_header_is_refused_clearly():
    """Without column names the reader cannot guess which cell is the title."""
    with pytest.raises(PlaylistError, match="header row"):
        read("Queen,Bohemian Rhapsody\n", "mine.csv")


def test_windows_1252_is_read_with_a_notice():
    """A Winamp-era .m3u in Windows-1252 is read, and the reading says so."""
    playlist = read("#EXTINF:10,Björk - Jóga\nJóga.mp3\n".encode("cp1252"), "old.m3u")
    assert playlist.entries[0].title == "Jóga"
    assert playlist.notices == [
        "The file is not UTF-8: it was read as Windows-1252 (Western European)."
    ]


def test_utf16_with_a_bom_is_read():
    """Notepad's "Unicode" (UTF-16 with BOM) is text, though it is full of NUL bytes."""
    data = codecs.BOM_UTF16_LE + "#EXTINF:10,Björk - Jóga\nJóga.mp3\n".encode("utf-16-le")
    assert read(data).entries[0].original_filename == "Jóga.mp3"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \r\n", "empty"),
        (b"#EXTM3U\n# nothing but comments\n#EXTINF:1,A - B\n", "names no songs"),
        ((AUDIO / "tone.ogg").read_bytes(), "binary data"),
        (b"\x81\x8d\x8f\x90\x9d", "neither UTF-8 nor Windows-1252"),
        (b"<playlist><trackList><track>", "not valid XSPF"),
    ],
)
def test_bad_files_get_a_clear_message(data, message):
    """Empty, comments only, an audio file, undecodable text, broken XML."""
    with pytest.raises(PlaylistError, match=message):
        read(data)


def test_a_file_over_the_size_limit_is_refused_unread():
    """Only MAX_BYTES + 1 bytes are read: the rest of a huge upload is never looked at."""
    stream = io.BytesIO(b"a.mp3\n" * (MAX_BYTES // 6 + 10))
    with pytest.raises(PlaylistError, match="larger than 5 MB"):
        read_playlist(stream, "huge.m3u")
    assert stream.tell() == MAX_BYTES + 1


@pytest.mark.parametrize("name", WRITERS)
def test_100k_lines_stop_at_the_entry_limit(name, monkeypatch):
    """A 100,000-entry file (under the size limit) is refused when entry MAX_ENTRIES + 1
    comes: the reader does not go on through the rest."""
    tracks = (Track(f"t{n}", "", "", None, None, None, n) for n in range(100_000))
    data = written(name, tracks).encode()
    assert len(data) <= MAX_BYTES
    added = []
    monkeypatch.setattr(parsing, "Wanted", lambda *fields: added.append(fields))
    with pytest.raises(PlaylistError, match="more than 10,000 entries"):
        read(data, name)
    assert len(added) <= MAX_ENTRIES + 1


@pytest.mark.parametrize(
    "document",
    [
        # Billion laughs: a few hundred bytes that would expand to gigabytes.
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in pairwise("abcdefghi"))
        + ']><playlist xmlns="http://xspf.org/ns/0/"><title>&i;</title></playlist>',
        # An external entity: a file of the server's.
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<playlist><title>&x;</title></playlist>",
        '<?xml version="1.0"?><!DOCTYPE playlist SYSTEM "http://example.org/x.dtd"><playlist/>',
    ],
)
def test_xml_with_a_dtd_is_refused_before_anything_expands(document):
    """No DTD at all: no entity can expand or fetch anything."""
    with pytest.raises(PlaylistError, match="DTD"):
        read(document, "bomb.xspf")
