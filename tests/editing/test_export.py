"""CSV export: every row of the filtered, sorted list (not just the page), safe in a spreadsheet."""

import csv
import io
import re
from datetime import date

import pytest
from flask_login import login_user
from sqlalchemy import select

from app.extensions import db
from app.models import Album, Author, Song

SHOW_LINK = re.compile(r'href="/songs/show/(\d+)"')


def read_csv(response) -> list[dict]:
    """The rows of an exported file, as a spreadsheet would read them (UTF-8 with BOM)."""
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def listed_ids(visitor, url: str) -> list[int]:
    """The song ids a list shows on all its pages, in order (100 rows a page)."""
    ids, page = [], 0
    while True:
        separator = "&" if "?" in url else "?"
        html = visitor.get(f"{url}{separator}psize_SongModelView=100&page_SongModelView={page}")
        found = list(dict.fromkeys(int(n) for n in SHOW_LINK.findall(html.get_data(as_text=True))))
        if not found:
            return ids
        ids += found
        page += 1


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?_flt_0_title=a&_oc_SongModelView=rating&_od_SongModelView=desc",
        "?_oc_SongModelView=album.title&_od_SongModelView=asc",
    ],
)
def test_songs_export_every_row_of_the_list_in_its_order(app, login_as, generated_catalog, query):
    """The export holds the rows of all the list's pages, in the list's order, with ids."""
    generated_catalog(260)
    listener = login_as("Listener")
    response = listener.get(f"/songs/export.csv{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = f'attachment; filename="songs-{date.today().isoformat()}.csv"'
    assert response.headers["Content-Disposition"] == disposition
    rows = read_csv(response)
    expected = listed_ids(listener, f"/songs/list/{query}")
    assert len(expected) > 100  # more than one page of the list
    assert [int(row["Song ID"]) for row in rows] == expected
    with app.app_context():
        first = db.session.get(Song, expected[0])
        assert rows[0]["Title"] == first.title
        assert rows[0]["Album ID"] == str(first.album_id)
        assert rows[0]["Album"] == first.album.title
        assert rows[0]["Author"] == first.album.author.name
        assert rows[0]["Rating"] == ("" if first.rating is None else str(first.rating))


def test_albums_and_authors_export_with_their_ids(app, login_as, song):
    """Each list exports its own columns and ids."""
    listener = login_as("Listener")
    [album] = read_csv(listener.get("/albums/export.csv"))
    assert album == {
        "Album ID": str(song.album_id),
        "Title": "Test Tones",
        "Author ID": album["Author ID"],
        "Author": "Oscillator",
        "Release year": "2023",
        # Its songs' analysis is not run here (tests/jobs/test_album_loudness.py runs it).
        "Loudness (LUFS)": "",
        "True peak (dBTP)": "",
        "Album gain (dB)": "",
        "Album peak": "",
    }
    [author] = read_csv(listener.get("/authors/export.csv?_flt_0_name=oscil"))
    assert (author["Name"], author["Country"], author["Author ID"]) == (
        "Oscillator",
        "Germany",
        album["Author ID"],
    )
    assert read_csv(listener.get("/authors/export.csv?_flt_0_name=nobody")) == []


@pytest.mark.parametrize(
    ("title", "cell"),
    [
        ("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")"),
        ("+1 Remix", "'+1 Remix"),
        ("-20 dB", "'-20 dB"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("x;=HYPERLINK(CHAR(104);CHAR(120));", "x;'=HYPERLINK(CHAR(104);CHAR(120));"),
        ("a|+1\t-2,@3", "a|'+1\t'-2,'@3"),
        ("  =1+1 and\n -x", "  '=1+1 and\n '-x"),
        ('x;"=1+1"', 'x;"\'=1+1"'),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("Ünïcödé — 夜", "Ünïcödé — 夜"),
        ("Plain, with \"quotes\"; a-b | c", "Plain, with \"quotes\"; a-b | c"),
    ],
)  # fmt: skip
def test_text_that_a_spreadsheet_would_run_is_neutralised(app, login_as, song, title, cell):
    """A formula character where a spreadsheet could start a cell (the text's start, after a
    separator any locale uses or a line break, spaces and quotes between) gets a ' before
    it; other text and Unicode reach the sheet as they are."""
    with app.app_context():
        db.session.get(Song, song.id).title = title
        db.session.commit()
    [row] = read_csv(login_as("Listener").get("/songs/export.csv"))
    assert row["Title"] == cell


def test_every_text_field_is_quoted_and_numbers_are_not(app, analysis_runs, login_as, song):
    """The file's bytes: each text in quotes (a `;` or `|` in it separates nothing for a
    reader that honours quotes), numbers bare, empty values as empty text."""
    with app.app_context():
        db.session.get(Song, song.id).title = "Live; at the | Bar"
        db.session.commit()
        author_id = db.session.get(Album, song.album_id).author_id
    body = login_as("Listener").get("/songs/export.csv").data.decode("utf-8")
    header, row = body.split("\r\n")[:2]
    assert header == (
        '\ufeff"Song ID","Title","Album ID","Album","Author ID","Author","Track",'
        '"Duration (seconds)","Rating","Genre","File","Loudness (LUFS)","Loudness range (LU)",'
        '"True peak (dBTP)","Track gain (dB)","Track peak"'
    )
    known = (
        f'{song.id},"Live; at the | Bar",{song.album_id},"Test Tones",{author_id},'
        '"Oscillator","",3.0,"","","tone.ogg",'
    )
    assert row.startswith(known)
    # The loudness job's five numbers (tests/jobs/test_loudness_kind.py checks their values).
    loudness = row.removeprefix(known).split(",")
    assert len(loudness) == 5
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", cell) for cell in loudness), loudness


def test_export_needs_the_lists_permission(app, browser, login_as, song):
    """Anonymous visitors are sent to log in; whoever may see the list may export it."""
    refused = browser.get("/songs/export.csv")
    assert refused.status_code == 302
    assert "/login/" in refused.headers["Location"]
    assert login_as("Editor").get("/albums/export.csv").status_code == 200


def test_the_list_offers_its_export_with_the_current_filters(login_as, song):
    """The list's Export CSV link carries its filters and order, not its page."""
    page = login_as("Listener").get(
        "/songs/list/?_flt_0_title=tone&_oc_SongModelView=rating&_od_SongModelView=desc"
        "&page_SongModelView=0"
    )
    link = re.search(r'<a href="([^"]*export\.csv[^"]*)"', page.get_data(as_text=True)).group(1)
    assert link.replace("&amp;", "&") == (
        "/songs/export.csv?_flt_0_title=tone&_oc_SongModelView=rating&_od_SongModelView=desc"
    )


def test_an_empty_list_offers_no_export(login_as):
    """Nothing to export, no button."""
    assert "export.csv" not in login_as("Listener").get("/songs/list/").get_data(as_text=True)


def test_exported_rows_are_read_back_with_their_relations(app, login_as):
    """An album without a year and a song without a track export empty cells, not "None"."""
    with app.app_context():
        album = Album(title="No Year", author=Author(name="Nobody Known"))
        db.session.add(Song(title="Untracked", album=album, audio_file="u.ogg",
                            original_filename="u.ogg"))  # fmt: skip
        db.session.commit()
        song_id = db.session.scalar(select(Song.id))
    [row] = read_csv(login_as("Listener").get("/songs/export.csv"))
    assert (row["Song ID"], row["Track"], row["Rating"], row["Duration (seconds)"]) == (
        str(song_id),
        "",
        "",
        "",
    )


def test_the_export_sorts_only_by_the_lists_sort_columns(app, users):
    """Asked for uploaders' emails as the order, with the list-argument guard out of the way
    (the view is called directly, no before-request hook runs), the export keeps the list's
    own order (by title): its own check, not only the guard, keeps other tables' data out."""
    with app.app_context():
        album = Album(title="Order", author=Author(name="Sorter"))
        for title, username in (("A first", "lisa"), ("B second", "eddie"), ("C third", "alice")):
            uploader = app.appbuilder.sm.find_user(username=username)
            db.session.add(Song(title=title, album=album, uploaded_by=uploader,
                                audio_file=f"{title}.ogg", original_filename="x.ogg"))  # fmt: skip
        db.session.commit()
    by_email = "?_oc_SongModelView=uploaded_by.email&_od_SongModelView=asc"
    for query, titles in ((by_email, ["A first", "B second", "C third"]),
                          ("?_oc_SongModelView=title&_od_SongModelView=desc",
                           ["C third", "B second", "A first"])):  # fmt: skip
        with app.test_request_context(f"/songs/export.csv{query}"):
            login_user(app.appbuilder.sm.find_user(username=users["Listener"]))
            response = app.view_functions["SongModelView.export_csv"]()
            body = response.get_data(as_text=True)
        rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))
        assert [row["Title"] for row in rows] == titles
