"""A title search on the song list finds the same rows whichever way it is answered: few
matches by their ids from the substring index (SQLite's FTS5 trigram table), many by the
key itself; with pages, other filters, the JSON API, folding and punctuation alike; and
many are counted from the substring index, at the same cost in a larger catalog."""

import html

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Album, Author, Song
from app.search import matching
from app.search.keys import search_key
from tests.api.test_api_resources import listing
from tests.catalog.test_list_pager import SORTED, summaries
from tests.catalog.test_scale import listed_titles

#: Titles beside the generated ones: accents, quotes, % and _, a key holding a Greek
#: capital (a bold mathematical letter keeps its case through folding).
ODD_TITLES = ('"100%" Pure_Gold', "100 Pure Gold", "Café Noir", "Ab𝚳cd")


def add_titles(app, titles) -> None:
    """Songs with these titles, on one album."""
    with app.app_context():
        album = Album(title="Odd Titles", author=Author(name="Odd Author"))
        for number, title in enumerate(titles):
            name = f"odd-{number}.ogg"
            db.session.add(
                Song(title=title, album=album, audio_file=name, original_filename=name,
                     sha256=f"{number:064d}")
            )  # fmt: skip
        db.session.commit()


def expected(app, text: str, without: str | None = None) -> list[str]:
    """Titles whose key holds `text`'s key (and not `without`'s), in the list's order:
    worked out in Python, from every song."""
    key, excluded = search_key(text), without and search_key(without)
    with app.app_context():
        songs = db.session.execute(select(Song.title, Song.title_key, Song.id)).all()
    kept = [s for s in songs if key in s.title_key and not (excluded and excluded in s.title_key)]
    return [s.title for s in sorted(kept, key=lambda s: (s.title_key, s.id))]


def title_search(text: str, *more: str) -> str:
    """The song list filtered by title, sorted by title, with more arguments."""
    return "&".join([f"/songs/list/?_flt_0_title={text}", SORTED, *more])


def seen(visitor, address: str) -> tuple[list[str], str]:
    """(listed titles, the first "first-last of count" line) of a list page."""
    page = visitor.get(address)
    assert page.status_code == 200, address
    lines = summaries(page)
    return [html.unescape(title) for title in listed_titles(page)], lines[0] if lines else ""


@pytest.fixture
def catalog(app, generated_catalog):
    """Generated songs (a few dozen with each title word) and the odd titles."""
    generated_catalog(600)
    add_titles(app, ODD_TITLES)


@pytest.mark.parametrize("matches", ["few", "many"])
def test_a_title_search_pages_and_combines_as_before(
    app, login_as, catalog, monkeypatch, statements, database_kind, matches
):
    """Search "CAFÉ" → its first 25 in title order and the exact count; page 2; the same
    search without titles holding "river"; the JSON API's count and ids — the same whether
    the index probe gave the ids (few) or found too many and the key was scanned (many)."""
    if matches == "many":
        monkeypatch.setattr(matching, "CANDIDATES", 5)
    titles = expected(app, "CAFÉ")
    assert 25 < len(titles) < 200
    listener = login_as("Listener")

    statements.clear()
    first, line = seen(listener, title_search("CAF%C3%89"))
    # SQLite counts few matches by their ids (read from its trigram table), not by a scan.
    by_ids = any("count(" in sql and "song.id IN (" in sql for sql in statements)
    assert by_ids == (database_kind == "sqlite" and matches == "few")
    assert first == titles[:25]
    assert line == f"1–25 of {len(titles)}"
    second, line = seen(listener, title_search("CAF%C3%89", "page_SongModelView=1"))
    assert second == titles[25:50]
    assert line == f"26–{min(len(titles), 50)} of {len(titles)}"

    combined = expected(app, "CAFÉ", without="river")
    assert 0 < len(combined) < len(titles)
    shown, line = seen(listener, title_search("CAF%C3%89", "_flt_3_title=River"))
    assert shown == combined[:25]
    assert line.endswith(f" of {len(combined)}")

    answer = listing(
        listener, "song", filters=[{"col": "title", "opr": "key_ct", "value": "CAFÉ"}],
        order_column="title", order_direction="asc", page_size=100,
    )  # fmt: skip
    assert answer.status_code == 200
    assert (answer.json["count"], answer.json["count_estimated"]) == (len(titles), False)
    with app.app_context():
        ids = db.session.scalars(select(Song.id).where(Song.title.in_(titles))).all()
    assert sorted(answer.json["ids"]) == sorted(ids)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ('0" PURE_g', ['"100%" Pure_Gold', "100 Pure Gold"]),  # quotes, _ and % fold away
        ("b%F0%9D%9A%B3c", ["Ab𝚳cd"]),  # the bold letter's Greek capital, as typed
        ("ab%CE%BCcd", []),  # a small mu is another letter than the capital in the key
        ("noir", ["Café Noir"]),
        ("zzqx", []),
        ("%C3%89", "é"),  # one letter: no trigram, the key is scanned
        ("N%C3%AF", "nï"),  # two letters
    ],
)
def test_folding_and_punctuation_give_the_same_rows(app, login_as, catalog, typed, found):
    """Odd texts list exactly the titles whose keys hold them, with their count."""
    titles = expected(app, found) if isinstance(found, str) else found
    shown, line = seen(login_as("Listener"), title_search(typed))
    assert shown == titles[:25]
    assert line == (f"1–{min(len(titles), 25)} of {len(titles)}" if titles else "")


def test_many_matches_are_counted_from_the_substring_index(
    app, login_as, generated_catalog, monkeypatch, vm_steps
):
    """Forty "Zyxwv Nocturne" songs, more than the probe takes (five here, as a title of
    thousands at a million songs): the list reads "1-25 of 40", then "26-40 of 40", at 600
    songs and again at 6,000, where its count takes under a quarter of the steps of one
    that reads every title (as counting in title order did: 244 hundred against 23)."""
    monkeypatch.setattr(matching, "CANDIDATES", 5)
    generated_catalog(600)
    add_titles(app, [f"Zyxwv Nocturne {number:02}" for number in range(40)])
    titles = expected(app, "zyxwv noc")
    listener = login_as("Listener")

    def counting_steps() -> int:
        vm_steps.clear()
        first, line = seen(listener, title_search("Zyxwv%20Noc"))
        assert (first, line) == (titles[:25], "1–25 of 40")
        counted = sum(work for statement, work in vm_steps if "count(" in statement)
        second, line = seen(listener, title_search("Zyxwv%20Noc", "page_SongModelView=1"))
        assert (second, line) == (titles[25:], "26–40 of 40")
        return counted

    counting_steps()
    generated_catalog(5_400)
    counted = counting_steps()
    vm_steps.clear()
    with app.app_context():
        every_title = select(func.count()).where(Song.title_key.contains("zyxwv noc"))
        assert db.session.scalar(every_title) == 40
    scanned = sum(work for statement, work in vm_steps if "count(" in statement)
    assert counted * 4 < scanned, (counted, vm_steps)
