"""The home page's figures follow every change at once: each step of an editor's session
compared with a fresh GROUP BY over the catalog (the truth) and with what the page shows."""

# The truth's SQL is made of this module's own fragments, no outside input.
# ruff: noqa: S608
import hashlib
import io
import re
from collections import defaultdict

from sqlalchemy import event, text

from app.extensions import db
from app.models import Album, CatalogTally, Song
from tests.site.test_home import add_rated_songs, charts, tiles_of
from tests.support.apps import AUDIO

#: Per song: how many, playing time in ms, stored bytes.
SUMS = (
    "count(*), coalesce(sum(CAST(round(song.duration * 1000) AS BIGINT)), 0), "
    "coalesce(sum(song.file_size), 0)"
)
DECADE = "coalesce(song.year, album.release_year)"
#: (kind, label, number, songs, ms, bytes), grouped by the database over the tables.
TRUTH = (
    f"SELECT 'total', '', 0, {SUMS} FROM song",
    f"SELECT 'genre', coalesce(nullif(genre, ''), ''), 0, {SUMS} FROM song "
    "GROUP BY coalesce(nullif(genre, ''), '')",
    f"SELECT 'decade', '', {DECADE} - {DECADE} % 10, {SUMS} FROM song "
    f"JOIN album ON album.id = song.album_id WHERE {DECADE} IS NOT NULL "
    f"GROUP BY {DECADE} - {DECADE} % 10",
    f"SELECT 'author', '', album.author_id, {SUMS} "
    "FROM song JOIN album ON album.id = song.album_id GROUP BY album.author_id",
    "SELECT 'albums', '', 0, count(*), 0, 0 FROM album",
    "SELECT 'authors', '', 0, count(*), 0, 0 FROM author",
)


def truth(app) -> dict:
    """Every figure grouped afresh over the songs, albums and authors (empty groups left out)."""
    with app.app_context():
        rows = [row for query in TRUTH for row in db.session.execute(text(query))]
        names = dict(db.session.execute(text("SELECT id, name FROM author")).all())
    figures = {(kind, label, number): tuple(sums) for kind, label, number, *sums in rows}
    # Nothing counted is no row, or a row of zeros (a group emptied, a catalog cleared).
    figures = {key: value for key, value in figures.items() if any(value)}
    return figures | {"names": names}


def kept(app) -> dict:
    """The counters as kept (rows of zeros left out, as the page leaves them out)."""
    with app.app_context():
        rows = db.session.query(CatalogTally).all()
    return {
        (row.kind, row.label, row.number): (row.amount, row.playing_ms, row.stored_bytes)
        for row in rows
        if row.amount or row.playing_ms or row.stored_bytes
    }


def shown(visitor) -> dict:
    """What the home page says: the tiles' counts and the charts' bars."""
    page = visitor.get("/").get_data(as_text=True)
    tiles = tiles_of(page)
    numbers = {
        name: int(re.search(rf"(\d+) {name}", tiles).group(1))
        for name in ("Songs", "Albums", "Authors")
    }
    found = charts(page)
    bars = {
        title: dict(zip(chart["labels"], chart["values"], strict=True))
        for title, chart in found.items()
    }
    return numbers | bars | {"no genre": re.search(r"(\d+) songs? ha(?:s|ve) no genre", page)}


def check(app, visitor) -> dict:
    """Compare the counters and the page with the truth; the truth, for the step's asserts."""
    expected = truth(app)
    names = expected.pop("names")
    assert kept(app) == expected
    page = shown(visitor)
    counts = [expected.get((kind, "", 0), (0,))[0] for kind in ("total", "albums", "authors")]
    assert [page["Songs"], page["Albums"], page["Authors"]] == counts
    by_kind = defaultdict(dict)
    for (kind, label, number), (songs, *_sums) in expected.items():
        by_kind[kind][label if kind == "genre" else number] = songs
    decades = {f"{decade}s": songs for decade, songs in sorted(by_kind["decade"].items())}
    assert page.get("Songs per decade", {}) == decades
    authors = {names[number]: songs for number, songs in by_kind["author"].items()}
    assert page.get("Authors with the most songs", {}) == authors
    without = by_kind["genre"].pop("", 0)
    if len(by_kind["genre"]) >= 2:
        assert page["Songs per genre"] == by_kind["genre"]
    assert (int(page["no genre"].group(1)) if page["no genre"] else 0) == without
    return expected


def upload(editor, name: str, album_id: int) -> int:
    """Add a song from a fixture file through the API; its id."""
    body = {"file": (io.BytesIO((AUDIO / name).read_bytes()), name), "album_id": album_id}
    response = editor.api(
        "POST", "/api/v1/song/upload", data=body, content_type="multipart/form-data"
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def done(editor, method: str, url: str, **body) -> None:
    """Change or delete a row through the API, which takes it (200)."""
    response = editor.api(method, url, json=body or None)
    assert response.status_code == 200, response.json


def made(editor, resource: str, **fields) -> int:
    """Create an author or album through the API; its id."""
    response = editor.api("POST", f"/api/v1/{resource}/", json=fields)
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_every_change_shows_on_the_home_page_at_once(app, editor, audio):
    """Add, add, move an album to another author, change an album's year, move a song to
    another album, delete a song, try and then delete an album with songs, delete an
    author: after each step the counters equal a fresh count, and the page shows them."""
    check(app, editor)
    first, second = made(editor, "author", name="First"), made(editor, "author", name="Second")
    nineties = made(editor, "album", title="Nineties", author_id=first, release_year=1994)
    undated = made(editor, "album", title="Undated", author_id=second)
    rock = upload(editor, "tone.flac", nineties)
    figures = check(app, editor)
    assert figures[("decade", "", 1990)][0] == 1
    assert figures[("author", "", first)][0] == 1
    # The form's door too: a song on the undated album.
    sent = editor.submit("/songs/add", {"album": undated, "audio_file": audio("tone.ogg")})
    assert sent.status_code == 302
    moved = upload(editor, "tone.wav", undated)
    figures = check(app, editor)
    assert figures[("total", "", 0)][0] == 3
    assert ("decade", "", 1970) not in figures
    done(editor, "PUT", f"/api/v1/album/{nineties}", author_id=second)
    figures = check(app, editor)
    assert figures[("author", "", second)][0] == 3
    assert ("author", "", first) not in figures
    done(editor, "PUT", f"/api/v1/album/{undated}", release_year=1972)
    figures = check(app, editor)
    assert figures[("decade", "", 1970)][0] >= 1
    done(editor, "PUT", f"/api/v1/song/{moved}", album_id=nineties)
    figures = check(app, editor)
    assert figures[("decade", "", 1990)][0] == 2
    done(editor, "DELETE", f"/api/v1/song/{rock}")
    figures = check(app, editor)
    assert figures[("total", "", 0)][0] == 2
    refused = editor.api("DELETE", f"/api/v1/album/{undated}")
    assert refused.status_code == 409
    check(app, editor)
    for song in song_ids(app, undated):
        done(editor, "DELETE", f"/api/v1/song/{song}")
    done(editor, "DELETE", f"/api/v1/album/{undated}")
    figures = check(app, editor)
    assert figures[("total", "", 0)][0] == 1
    assert figures[("albums", "", 0)][0] == 1
    done(editor, "DELETE", f"/api/v1/author/{first}")
    figures = check(app, editor)
    assert figures[("authors", "", 0)][0] == 1
    assert song_ids(app, nineties) == [moved]


def song_ids(app, album_id: int) -> list[int]:
    """The ids of an album's songs."""
    with app.app_context():
        query = text("SELECT id FROM song WHERE album_id = :album")
        return list(db.session.scalars(query, {"album": album_id}))


def test_recount_mends_figures_after_hand_edits(app, login_as, runner):
    """Rows changed in plain SQL (no hook sees them) leave the figures wrong until an
    operator runs `flask catalog recount`; then they equal a fresh count again."""
    add_rated_songs(app)
    listener = login_as("Listener")
    check(app, listener)
    with app.app_context():
        db.session.execute(text("UPDATE song SET genre = 'Jazz' WHERE title = 'Best One'"))
        db.session.execute(text("INSERT INTO author (name, name_key) VALUES ('Hand', 'hand')"))
        db.session.commit()
    assert kept(app) != truth(app)
    result = runner.invoke(args=["catalog", "recount"])
    assert result.exit_code == 0, result.output
    assert "counted again" in result.output
    figures = check(app, listener)
    assert figures[("genre", "Jazz", 0)][0] == 1
    assert figures[("authors", "", 0)][0] == 2


def test_songs_added_at_the_same_moment_both_count(app, song):
    """Another request adds and commits a song while this one is saving its own (after this
    one read what it needed, before it wrote): both count, on top of each other."""
    seen: list[str] = []

    def meanwhile(_conn, _cursor, statement, *_args):
        if seen or not statement.lstrip().upper().startswith("INSERT INTO SONG "):
            return
        seen.append(statement)
        with app.app_context():  # another request: its own session and connection
            db.session.add(new_song(db.session.get(Album, song.album_id), "Other"))
            db.session.commit()

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", meanwhile)
        try:
            db.session.add(new_song(db.session.get(Album, song.album_id), "Mine"))
            db.session.commit()
        finally:
            event.remove(db.engine, "before_cursor_execute", meanwhile)
    assert seen
    assert kept(app) == {key: value for key, value in truth(app).items() if key != "names"}
    assert kept(app)[("total", "", 0)][0] == 3


def new_song(album, title: str) -> Song:
    """A song of 2 s on the album (a file of its own)."""
    return Song(
        title=title,
        album=album,
        duration=2.0,
        file_size=10,
        audio_file=f"{title}.ogg",
        original_filename="x.ogg",
        sha256=hashlib.sha256(title.encode()).hexdigest(),
    )
