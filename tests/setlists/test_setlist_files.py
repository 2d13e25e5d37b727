"""Setlist files through the site: export (M3U8, XSPF, CSV) and import back give the same
order; who may export what; file names; spreadsheet-safe cells; the export reads its
entries a chunk at a time (statements counted).

Requests are made with no app context pushed by the test (as a server has none): a pushed
one would be shared by the requests, and a streamed answer leaves it changed.
"""

import csv
import io
import re

import pytest
from sqlalchemy import select

import app.views.setlists.file_export as file_export
from app.extensions import db
from app.models import Album, Author, Setlist, Song
from app.setlists import rules
from tests.setlists.building import counted, fill, make_songs, songs_in
from tests.support.apps import add_role_users

IMPORT = "/setlists/import"


def make_setlist(
    app, owner_id: int, song_ids: list[int], name="Friday set", visibility="private"
) -> int:
    """A setlist of the owner's holding these songs in this order; its id."""
    with app.app_context():
        setlist = rules.create(db.session, owner_id, name)
        setlist.visibility = visibility
        db.session.commit()
        fill(setlist, song_ids)
        return setlist.id


def new_songs(app, count: int) -> list[int]:
    """`count` songs ("Track 00000" by "Many", file "0.ogg"...); their ids."""
    with app.app_context():
        return make_songs(count)


def add_song(app, title: str, artist: str, album: str, filename: str, seconds=60.0) -> int:
    """One song of a new album; its id."""
    with app.app_context():
        song = Song(
            title=title, album=Album(title=album, author=Author(name=artist)),
            audio_file=f"{filename}.stored", original_filename=filename, duration=seconds,
        )  # fmt: skip
        db.session.add(song)
        db.session.commit()
        return song.id


def imported(visitor, data: bytes, filename: str, name: str = ""):
    """Post a playlist file through the import page; the answer."""
    return visitor.submit(IMPORT, {"playlist": (io.BytesIO(data), filename), "name": name})


def newest_setlist(app, owner_id: int) -> tuple[int, str] | None:
    """(id, name) of the owner's most recently made setlist, if any."""
    with app.app_context():
        query = select(Setlist.id, Setlist.name).where(Setlist.owner_id == owner_id)
        row = db.session.execute(query.order_by(Setlist.id.desc())).first()
        return tuple(row) if row else None


@pytest.mark.parametrize("kind", ["m3u8", "xspf", "csv"])
def test_export_then_import_gives_the_same_songs_in_the_same_order(app, people, login_as, kind):
    """A listener exports their setlist (repeats and a shuffled order included), imports the
    file, and the new setlist plays the same songs in the same order; every line matched."""
    ids = new_songs(app, 30)
    wanted = [ids[7], ids[2], ids[29], ids[2], *ids[10:20], ids[0]]
    setlist_id = make_setlist(app, people["owner"], wanted)
    listener = login_as("Listener")
    exported = listener.get(f"/setlists/{setlist_id}/export.{kind}")
    assert exported.status_code == 200
    assert 'attachment; filename="Friday set.' in exported.headers["Content-Disposition"]
    answer = imported(listener, exported.data, f"back.{kind}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200, page
    assert f"Matched {len(wanted)} of {len(wanted)} lines." in page
    copy = newest_setlist(app, people["owner"])
    assert copy[0] != setlist_id
    assert songs_in(app, copy[0]) == wanted
    # Named after the playlist's title in XSPF, else after the file.
    assert copy[1] == ("Friday set" if kind == "xspf" else "back")
    assert f'href="/setlists/show/{copy[0]}"' in page


def test_m3u8_lines_say_length_artist_title_and_original_file_name(app, people, login_as):
    """#EXTINF with the length and "Artist - Title", then the song's original file name."""
    song_id = add_song(app, "Dreams", "Fleetwood Mac", "Rumours", "03 Dreams.mp3", 257.4)
    setlist_id = make_setlist(app, people["owner"], [song_id], name="Café del Mar / 2026")
    answer = login_as("Listener").get(f"/setlists/{setlist_id}/export.m3u8")
    assert answer.data.decode().split("\n") == [
        "#EXTM3U",
        "#EXTINF:257,Fleetwood Mac - Dreams",
        "03 Dreams.mp3",
        "",
    ]
    disposition = answer.headers["Content-Disposition"]
    assert disposition == (
        'attachment; filename="Cafe del Mar - 2026.m3u8"; '
        "filename*=UTF-8''Caf%C3%A9%20del%20Mar%20-%202026.m3u8"
    )


def test_csv_export_neutralises_formula_cells(app, people, login_as):
    """Titles, artists and file names that a spreadsheet would run come out as text."""
    title = '=HYPERLINK("http://evil.example","x")'
    song_id = add_song(app, title, "-2+3", "@SUM(1,2)", "+cmd.mp3")
    setlist_id = make_setlist(app, people["owner"], [song_id])
    answer = login_as("Listener").get(f"/setlists/{setlist_id}/export.csv")
    assert answer.mimetype == "text/csv"
    (row,) = csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig")))
    assert row["title"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["artist"] == "'-2+3"
    assert row["album"] == "'@SUM(1,2)"
    assert row["file name"] == "'+cmd.mp3"


def test_who_may_export_a_private_setlist(app, people, login_as):
    """Its owner and admins; another listener and an editor get 404, as for no setlist at
    all; a visitor is sent to sign in; odd ids and formats are 404s."""
    setlist_id = make_setlist(app, people["owner"], new_songs(app, 3))
    url = f"/setlists/{setlist_id}/export.xspf"
    assert login_as("Listener").get(url).status_code == 200
    assert login_as("Admin").get(url).status_code == 200
    for role in ("Editor",):
        assert login_as(role).get(url).status_code == 404
    missing = login_as("Editor").get(f"/setlists/{setlist_id + 1000}/export.xspf")
    assert missing.status_code == 404
    anonymous = login_as(None).get(url)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous.headers["Location"]
    listener = login_as("Listener")
    for odd in ("export.mp3", "export.m3u8x", "../export.csv"):
        assert listener.get(f"/setlists/{setlist_id}/{odd}").status_code == 404
    for odd_id in ("abc", "99999999999999999999", "-1"):
        assert listener.get(f"/setlists/{odd_id}/export.csv").status_code == 404


def test_another_listener_gets_404_and_a_catalog_setlist(app, people, login_as, own_account):
    """Another listener cannot export a private setlist, but may export a published one."""
    ids = new_songs(app, 4)
    private_id = make_setlist(app, people["owner"], ids[:2])
    catalog_id = make_setlist(app, people["editor"], ids[2:], name="Curated", visibility="catalog")
    other = login_as(None)
    assert other.login(own_account)
    assert other.get(f"/setlists/{private_id}/export.m3u8").status_code == 404
    assert other.get(f"/setlists/{catalog_id}/export.m3u8").status_code == 200


def test_exports_count_against_the_export_limit(app, people, login_as, monkeypatch):
    """A setlist's file is an export like a list's: past RATELIMIT_EXPORT, a 429 page."""
    monkeypatch.setitem(app.config, "RATELIMIT_EXPORT", "2 per 10 minutes")
    setlist_id = make_setlist(app, people["owner"], new_songs(app, 2))
    listener = login_as("Listener")
    codes = [listener.get(f"/setlists/{setlist_id}/export.{k}").status_code for k in FORMATS]
    assert codes == [200, 200, 429]
    assert "Retry-After" in listener.get(f"/setlists/{setlist_id}/export.csv").headers


FORMATS = ("m3u8", "xspf", "csv")


def entry_reads(statements: list[str]) -> int:
    """How many statements read a setlist's entries."""
    return sum(1 for text in statements if re.search(r"FROM setlist_entry", text))


@pytest.mark.parametrize("kind", FORMATS)
def test_export_reads_entries_a_chunk_at_a_time(app, people, login_as, kind):
    """25 entries: one statement; 5,000: one per CHUNK (500) and a last, empty one; each
    file lists every entry."""
    ids = new_songs(app, 5000)
    small, large = (
        make_setlist(app, people["owner"], ids[:25]),
        make_setlist(app, people["owner"], ids),
    )
    listener = login_as("Listener")
    with app.app_context():
        engine = db.engine
    for setlist_id, length, reads in ((small, 25, 1), (large, 5000, 11)):
        with counted(engine) as statements:
            answer = listener.get(f"/setlists/{setlist_id}/export.{kind}")
            body = answer.data.decode("utf-8-sig")
        assert entry_reads(statements) == reads
        assert body.count(".ogg") == length
    assert file_export.CHUNK == 500


def test_public_browsing_lets_visitors_export_catalog_setlists_only(standalone_app, visit):
    """With CATALOG_PUBLIC_BROWSE a visitor downloads a published setlist; a private one is
    a 404, and the import page still asks them to sign in."""
    public = standalone_app(CATALOG_PUBLIC_BROWSE=True)
    users = add_role_users(public)
    with public.app_context():
        owner = public.appbuilder.sm.find_user(username=users["Editor"]).id
    ids = new_songs(public, 2)
    published = make_setlist(public, owner, ids, name="Staff picks", visibility="catalog")
    private = make_setlist(public, owner, ids[:1], name="Drafts")
    visitor = visit(public)
    answer = visitor.get(f"/setlists/{published}/export.m3u8")
    assert answer.status_code == 200
    assert answer.data.decode().count("#EXTINF") == 2
    assert visitor.get(f"/setlists/{private}/export.m3u8").status_code == 404
    assert visitor.get(IMPORT).status_code == 302
