"""Importing a playlist through the page: a partial file's report line by line, encodings,
hostile files refused next to the field with no setlist made, who may import."""

import codecs
import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Setlist, Song
from app.setlists.parsing import MAX_BYTES
from tests.setlists.building import songs_in
from tests.setlists.test_setlist_files import (
    IMPORT,
    add_song,
    imported,
    new_songs,
    newest_setlist,
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>
<track><title>&lol2;</title></track></trackList></playlist>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>
<track><title>&x;</title></track></trackList></playlist>"""


def count(app, model) -> int:
    """Rows of a table."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def field_error(page: str, field: str) -> str:
    """The text of the error block next to a form field ("" when there is none)."""
    start = page.find(f'id="{field}-errors"')
    return page[start : page.find("</div>", start)] if start >= 0 else ""


def test_a_partial_playlist_imports_what_matches_and_reports_every_line(app, people, login_as):
    """File name (a Windows path and a ../ path give their base name), artist and title,
    title and length; unknown songs and another artist's song are reported with why, and
    nothing is added to the catalog."""
    dreams = add_song(app, "Dreams", "Fleetwood Mac", "Rumours", "03 Dreams.mp3", 257.0)
    jolene = add_song(app, "Jolene", "Dolly Parton", "Jolene", "jolene.flac", 161.0)
    hello = add_song(app, "Hello", "Adele", "25", "hello.ogg", 295.0)
    songs_before = count(app, Song)
    playlist = "\n".join(
        [
            "#EXTM3U",
            "#EXTINF:257,Someone - Something",
            r"C:\Music\Rumours\03 Dreams.mp3",  # line 3: by file name
            "#EXTINF:160,DOLLY PARTON - jolene",
            "/elsewhere/renamed.mp3",  # line 5: by artist and title
            "#EXTINF:296,A Cover Band - Hello",
            "../../hello-cover.mp3",  # line 7: by title and length
            "#EXTINF:200,Nobody - Unknown Song",
            "../../../etc/passwd",  # line 9: nothing
            "#EXTINF:100,Other Singer - Hello",
            "hello-live.mp3",  # line 11: another artist, another length
            "../jolene.flac",  # line 12: by file name again (repeat)
        ]
    ).encode()
    listener = login_as("Listener")
    answer = imported(listener, playlist, "mix.m3u8", name="  Monday <b>mix</b> ")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Matched 4 of 6 lines." in page
    setlist_id, name = newest_setlist(app, people["owner"])
    assert name == "Monday <b>mix</b>"
    assert "Monday &lt;b&gt;mix&lt;/b&gt;" in page
    assert songs_in(app, setlist_id) == [dreams, jolene, hello, jolene]
    assert count(app, Song) == songs_before
    rows = page.split('<tr class="import-')[1:]
    assert [re.search(r"</span> (\d+)</td>", row).group(1) for row in rows] == [
        "3", "5", "7", "9", "11", "12",
    ]  # fmt: skip
    expectations = [
        (dreams, "file name"),
        (jolene, "artist and title"),
        (hello, "title and duration"),
        (None, "No song has this file name, artist and title, or title and length."),
        (None, "Songs have this title, but by another artist and of another length."),
        (jolene, "file name"),
    ]
    for row, (song_id, how) in zip(rows, expectations, strict=True):
        assert how in row
        if song_id is not None:
            assert f'href="/songs/show/{song_id}"' in row
        else:
            assert "Not matched:" in row
    assert "passwd" in rows[3]
    assert "03 Dreams.mp3" in rows[0]


def test_a_windows_1252_file_is_read_and_said_so(app, people, login_as):
    """A Winamp-era playlist in Windows-1252: the notice says how it was read, and its
    accented file name matches."""
    cafe = add_song(app, "Café", "Bar", "Menu", "Café Olé.mp3")
    listener = login_as("Listener")
    answer = imported(listener, "Café Olé.mp3\r\n".encode("cp1252"), "old.m3u")
    page = answer.get_data(as_text=True)
    assert "it was read as Windows-1252 (Western European)." in page
    assert "Matched 1 of 1 lines." in page
    setlist_id, name = newest_setlist(app, people["owner"])
    assert name == "old"
    assert songs_in(app, setlist_id) == [cafe]


def test_utf16_csv_with_our_columns_imports_in_order(app, people, login_as):
    """Notepad's "Unicode" (UTF-16 with BOM) CSV with a header, separated by semicolons."""
    ids = new_songs(app, 3)
    text = "title;artist;file name\r\n" + "".join(
        f"Track {n:05};Many;{n}.ogg\r\n" for n in (2, 0, 1)
    )
    listener = login_as("Listener")
    answer = imported(listener, codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "list.csv")
    assert "Matched 3 of 3 lines." in answer.get_data(as_text=True)
    setlist_id, _name = newest_setlist(app, people["owner"])
    assert songs_in(app, setlist_id) == [ids[2], ids[0], ids[1]]


HOSTILE = {
    "too large": (b"a.mp3\n" * (MAX_BYTES // 6 + 1), "big.m3u", "larger than 5 MB"),
    "binary": (b"ID3\x03\x00\x00\x00\x00\x0f\x76" + bytes(range(256)) * 40, "song.m3u", "binary"),
    "not text": (b"\x81\x8d\x8f\x90\x9d song.mp3\n", "x.m3u", "neither UTF-8 nor Windows-1252"),
    "100k lines": (b"x.mp3\n" * 100_000, "long.m3u", "more than 10,000 entries"),
    "entity bomb": (BILLION_LAUGHS, "lol.xspf", "declares a DTD or entities"),
    "external entity": (EXTERNAL_ENTITY, "x.xspf", "declares a DTD or entities"),
    "broken XML": (b"<playlist><trackList><track>", "x.xspf", "not valid XSPF"),
    "empty": (b"\n\r\n  \n", "empty.m3u", "The file is empty."),
    "only comments": (b"#EXTM3U\n# nothing\n", "c.m3u8", "names no songs"),
    "CSV without header": (b"1,2,3\n4,5,6\n", "n.csv", "needs a header row"),
    "bad UTF-16": (codecs.BOM_UTF16_LE + b"a\x00\x00\xd8", "u.m3u", "not valid UTF-16"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_bad_file_is_refused_next_to_the_field_and_makes_no_setlist(app, people, login_as, case):
    """The form comes back with the reason beside the file field; no setlist, no song."""
    data, filename, reason = HOSTILE[case]
    new_songs(app, 1)
    songs_before = count(app, Song)
    answer = imported(login_as("Listener"), data, filename, name="Should not exist")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert reason in field_error(page, "playlist"), page[-3000:]
    assert 'class="form-group has-error"' in page
    assert newest_setlist(app, people["owner"]) is None
    assert count(app, Song) == songs_before


def test_no_file_or_a_long_name_is_said_beside_its_field(app, people, login_as):
    """Posting without a file asks for one; a name over 200 characters is refused."""
    listener = login_as("Listener")
    no_file = listener.submit(IMPORT, {"name": "x"}).get_data(as_text=True)
    assert "Choose a playlist file." in field_error(no_file, "playlist")
    long_name = imported(listener, b"a.mp3\n", "a.m3u", name="n" * 201).get_data(as_text=True)
    assert "at most 200 characters" in field_error(long_name, "name")
    assert count(app, Setlist) == 0


def test_who_may_import(app, people, login_as):
    """Listeners and editors see the page; a visitor is sent to sign in and a post without
    the form's token is refused; neither makes a setlist."""
    for role in ("Listener", "Editor", "Admin"):
        assert login_as(role).get(IMPORT).status_code == 200
    visitor = login_as(None)
    assert visitor.get(IMPORT).status_code == 302
    listener = login_as("Listener")
    forged = listener.client.post(IMPORT, data={"playlist": (io.BytesIO(b"a.mp3\n"), "a.m3u")})
    assert forged.status_code == 400
    assert count(app, Setlist) == 0
