"""The home page: an overview of the catalog for those who may browse it."""

import hashlib
import html
import json
import re

from sqlalchemy import event

from app.extensions import db
from app.models import Album, Author, Song
from tests.support import Browser


def charts(page: str) -> dict[str, dict]:
    """The charts' data, by title."""
    found = (json.loads(html.unescape(raw)) for raw in re.findall(r'data-chart="([^"]+)"', page))
    return {chart["title"]: chart for chart in found}


def add_rated_songs(app, rated=(("Best One", 5, 2_097_152), ("Unrated One", None, 1_048_576))):
    """More songs (title, rating, size) by a second author in the 1990s, added in order:
    by default one rated 5 and one unrated."""
    with app.app_context():
        album = Album(title="Nineties", release_year=1994, author=Author(name="Second"))
        for title, rating, size in rated:
            song = Song(
                title=title,
                album=album,
                rating=rating,
                genre="Rock",
                duration=3600.0,
                file_size=size,
                audio_file=f"{title}.ogg",
                original_filename="x.ogg",
                sha256=hashlib.sha256(title.encode()).hexdigest(),
            )
            db.session.add(song)
        db.session.commit()


def test_the_home_page_sums_up_the_catalog(app, login_as, song):
    """Counts, playing time, storage; newest and best-rated songs with play buttons."""
    add_rated_songs(app)
    page = login_as("Listener").get("/").get_data(as_text=True)
    tiles = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split('class="stat-tiles')[1]))
    for figure in ["3 Songs", "2 Albums", "2 Authors"]:
        assert figure in tiles
    assert "2 h 0 min of music" in tiles  # two hours and the fixture's three seconds
    assert "3 MB stored" in tiles
    newest, best = page.split("Recently added")[1].split("Top rated")
    assert 'data-title="Best One"' in newest
    assert 'data-title="Tone in Vorbis"' in newest
    assert 'data-title="Best One"' in best
    assert "Unrated One" not in best


def test_newest_and_best_rated_come_in_order(app, login_as, song):
    """Recently added: last added first; top rated: highest first, newest among equals."""
    add_rated_songs(app, [("Good", 4, 10), ("Great", 5, 10), ("Also Great", 5, 10)])
    page = login_as("Listener").get("/").get_data(as_text=True)
    newest, best = page.split("Recently added")[1].split("Top rated")
    titles = re.findall(r'data-title="([^"]+)"', newest)
    assert titles[:3] == ["Also Great", "Great", "Good"]
    assert re.findall(r'data-title="([^"]+)"', best)[:3] == ["Also Great", "Great", "Good"]


def test_the_charts_count_songs_per_genre_decade_and_author(app, login_as, song):
    """One aggregate each; decades from the album's year when the song has none."""
    add_rated_songs(app)
    found = charts(login_as("Listener").get("/").get_data(as_text=True))
    genres = found["Songs per genre"]
    assert dict(zip(genres["labels"], genres["values"], strict=True)) == {"Rock": 2, "No genre": 1}
    decades = found["Songs per decade"]
    assert (decades["labels"], decades["values"]) == (["1990s", "2020s"], [2, 1])
    authors = found["Authors with the most songs"]
    assert (authors["labels"], authors["values"]) == (["Second", "Oscillator"], [2, 1])


def test_visitors_get_the_welcome_instead(browser, song):
    """Anonymous visitors see what Setlist is and how to log in, no figures."""
    page = browser.get("/").get_data(as_text=True)
    assert "stat-tiles" not in page
    assert "Log in" in page


def test_figures_are_reused_for_a_while(standalone_app, visit):
    """With CATALOG_DASHBOARD_SECONDS, a second visit runs none of the aggregates."""
    app = standalone_app(CATALOG_DASHBOARD_SECONDS=60, CATALOG_PUBLIC_BROWSE=True)
    visitor: Browser = visit(app)
    sent = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    visitor.get("/")
    first = [s for s in sent if "count(" in s.lower()]
    sent.clear()
    visitor.get("/")
    assert len(first) >= 4
    assert [s for s in sent if "count(" in s.lower()] == []


def test_reused_figures_are_in_each_visitors_language(standalone_app, visit):
    """Figures kept for a while are kept per language: a Spanish visit gets Spanish charts."""
    app = standalone_app(CATALOG_DASHBOARD_SECONDS=60, CATALOG_PUBLIC_BROWSE=True)
    english, spanish = visit(app), visit(app)
    assert "<h2>Songs per genre</h2>" in english.get("/").get_data(as_text=True)
    spanish.get("/lang/es")
    assert "<h2>Canciones por género</h2>" in spanish.get("/").get_data(as_text=True)
