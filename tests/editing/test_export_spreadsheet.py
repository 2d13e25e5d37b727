"""Exports opened in a real spreadsheet (LibreOffice Calc): no cell is ever a formula.

A spreadsheet splits a CSV file at its locale's list separator, not necessarily the file's
comma: Excel in Spanish, German or French uses `;`, others a tab or `|`. So hostile text is
tried after each of them, at the start of the text, after spaces, quotes and line breaks;
each export is opened with each separator, with Calc evaluating formulas on import.
"""

import pytest

from app.extensions import db
from app.models import Album, Author, Song
from tests.support.libreoffice import SOFFICE, open_in_calc

HYPERLINK = "HYPERLINK(CHAR(104)&CHAR(116)&CHAR(116)&CHAR(112)&CHAR(58);CHAR(120))"
#: (what a user typed as a song title, the cell a spreadsheet shows).
SONG_TITLES = [
    (f"x;={HYPERLINK};y", f"x;'={HYPERLINK};y"),
    ('x,=HYPERLINK("http://evil.example","x"),', "x,'=HYPERLINK(\"http://evil.example\",\"x\"),"),
    ("x\t=WEBSERVICE(CHAR(104)&A1)\ty", "x\t'=WEBSERVICE(CHAR(104)&A1)\ty"),
    ("x|=cmd|' /C calc'!A0|y", "x|'=cmd|' /C calc'!A0|y"),
    ('=HYPERLINK("http://evil.example","x")', "'=HYPERLINK(\"http://evil.example\",\"x\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C notepad'!A0", "'-2+3+cmd|' /C notepad'!A0"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    (" =1+1", " '=1+1"),
    ('x; =1+1;"=2+2"', "x; '=1+1;\"'=2+2\""),
    ('x";=1+1;"', "x\";'=1+1;\""),
    (f"Line one\n={HYPERLINK}", f"Line one\n'={HYPERLINK}"),
    ("\tTabbed", "'\tTabbed"),
    ("＝1+1", "'＝1+1"),
    ('Plain, with "quotes"; and | pipes', 'Plain, with "quotes"; and | pipes'),
    ("Ünïcödé — 夜, ça va", "Ünïcödé — 夜, ça va"),
]  # fmt: skip
ALBUM = ("Album;=1+1;", "Album;'=1+1;")
AUTHOR = ("Author|=1+1|@x", "Author|'=1+1|'@x")
COUNTRY = ("DE,+1", "DE,'+1")
GENRE = ("Rock\t@SUM(1)", "Rock\t'@SUM(1)")
SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"}
LISTS = ("songs", "albums", "authors")


@pytest.fixture(scope="module")
def calc_profile(require_part, tmp_path_factory):
    """A LibreOffice user profile for this module (Debian's libreoffice-calc-nogui)."""
    require_part(SOFFICE is not None, "no `soffice` (Debian's libreoffice-calc-nogui)")
    return tmp_path_factory.mktemp("libreoffice-profile")


@pytest.fixture
def hostile_catalog(app) -> dict[int, str]:
    """Songs, an album and an author whose texts try to become formulas: {song id: cell}."""
    with app.app_context():
        author = Author(name=AUTHOR[0], country=COUNTRY[0])
        album = Album(title=ALBUM[0], author=author, release_year=2024)
        songs = [
            Song(title=title, album=album, genre=GENRE[0], rating=3,
                 audio_file=f"h{number}.ogg", original_filename=f"h{number}.ogg")
            for number, (title, _cell) in enumerate(SONG_TITLES)
        ]  # fmt: skip
        db.session.add_all(songs)
        db.session.commit()
        return {song.id: cell for song, (_title, cell) in zip(songs, SONG_TITLES, strict=True)}


def exported_sheets(app, login_as, tmp_path, calc_profile, separator: str):
    """Each list's export, plus a control file with a bare formula, as Calc opens them."""
    listener = login_as("Listener")
    files = []
    for name in LISTS:
        response = listener.get(f"/{name}/export.csv")
        assert response.status_code == 200
        files.append(tmp_path / f"{name}.csv")
        files[-1].write_bytes(response.data)
    control = tmp_path / "control.csv"
    control.write_text(f"canary{separator}=1+1\n")
    sheets = open_in_calc([*files, control], separator, calc_profile)
    # Calc does run formulas under these options: the test would see one.
    assert [cell.formula for cell in sheets.pop("control.csv")[0]] == [None, "of:=1+1"]
    return sheets


@pytest.mark.parametrize("separator", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_no_exported_cell_is_a_formula_whatever_the_separator(
    app, login_as, tmp_path, calc_profile, hostile_catalog, separator
):
    """Opened with `,`, `;`, tab or `|` as the separator, the exports hold no formula."""
    sheets = exported_sheets(app, login_as, tmp_path, calc_profile, separator)
    assert sorted(sheets) == sorted(f"{name}.csv" for name in LISTS)
    formulas = [
        (name, cell.formula) for name, rows in sheets.items() for row in rows for cell in row
        if cell.formula
    ]  # fmt: skip
    assert formulas == []
    assert len(sheets["songs.csv"]) > len(SONG_TITLES)  # every row was read


def by_header(rows) -> list[dict]:
    """Rows of cells as {column label: cell}, from a sheet whose first row is the header."""
    header = [cell.text for cell in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def test_the_export_reads_back_as_typed_in_a_spreadsheet(
    app, login_as, tmp_path, calc_profile, hostile_catalog
):
    """With the file's own separator every text is one cell, as typed (a ' before a formula
    character that could start a cell), and ids and ratings are numbers."""
    sheets = exported_sheets(app, login_as, tmp_path, calc_profile, ",")
    songs = by_header(sheets["songs.csv"])
    assert {int(row["Song ID"].text): row["Title"].text for row in songs} == hostile_catalog
    for row in songs:
        assert (row["Song ID"].kind, row["Rating"].kind, row["Rating"].text) == (
            "float",
            "float",
            "3",
        )
        assert (row["Album"].text, row["Author"].text, row["Genre"].text) == (
            ALBUM[1],
            AUTHOR[1],
            GENRE[1],
        )
    [album] = by_header(sheets["albums.csv"])
    assert (album["Title"].text, album["Author"].text, album["Release year"].kind) == (
        ALBUM[1],
        AUTHOR[1],
        "float",
    )
    [author] = by_header(sheets["authors.csv"])
    assert (author["Name"].text, author["Country"].text) == (AUTHOR[1], COUNTRY[1])
