"""The home page: an overview of the catalog for those who may browse it."""

import hashlib
import html
import json
import re

import pytest

from app.extensions import db
from app.models import Album, Author, Song


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
    assert "2 h of music" in tiles  # two hours and the fixture's three seconds
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
    assert "Songs per genre" not in found  # one genre: nothing to compare
    decades = found["Songs per decade"]
    assert (decades["labels"], decades["values"]) == (["1990s", "2020s"], [2, 1])
    authors = found["Authors with the most songs"]
    assert (authors["labels"], authors["values"]) == (["Second", "Oscillator"], [2, 1])


def tiles_of(page: str) -> str:
    """The figures at the top of the home page, as text."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split('class="stat-tiles')[1]))


def add_songs(app, genres_and_seconds, author: str = "Timer") -> None:
    """Songs of given genre and duration, on one album of a new author."""
    with app.app_context():
        album = Album(title="Lengths", author=Author(name=author))
        for number, (genre, seconds) in enumerate(genres_and_seconds):
            db.session.add(
                Song(title=f"Song {number}", album=album, genre=genre, duration=seconds,
                     audio_file=f"{number}.ogg", original_filename="x.ogg",
                     sha256=hashlib.sha256(f"{author}{number}".encode()).hexdigest())
            )  # fmt: skip
        db.session.commit()


@pytest.mark.parametrize(
    ("durations", "said"),
    [
        ([2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 3.0], "18 s of music"),  # the 7 songs
        ([360.0, 359.0], "12 min of music"),
        ([3 * 3600.0, 300.0], "3 h 5 min of music"),
        ([86_400.0, 86_400.0, 4 * 3600.0], "2 days 4 h of music"),
        ([86_400.0], "1 day of music"),
        ([1_000 * 86_400.0, 3_600.0], "1,000 days 1 h of music"),
    ],
)
def test_playing_time_reads_as_people_say_it(app, login_as, durations, said):
    """Seconds, minutes, hours and minutes, days and hours: never "0 h 0 min"."""
    add_songs(app, [(None, seconds) for seconds in durations])
    tiles = tiles_of(login_as("Listener").get("/").get_data(as_text=True))
    assert said in tiles
    assert "0 h" not in tiles


def test_the_genre_chart_needs_two_genres(app, login_as):
    """No genre at all, or one: a sentence instead of a chart; songs without a genre (or an
    empty one) are a note, never a bar; two genres make a chart of those two."""
    add_songs(app, [(None, 1.0), ("", 1.0), ("Jazz", 1.0)])
    listener = login_as("Listener")
    page = listener.get("/").get_data(as_text=True)
    assert "Songs per genre" not in charts(page)
    genre_figure = page.split("<h2>Songs per genre</h2>")[1].split("</figure>")[0]
    assert "Give songs a genre, and this chart compares them." in genre_figure
    assert "2 songs have no genre." in genre_figure
    add_songs(app, [("Rock", 1.0), ("Rock", 1.0)], author="Second")
    page = listener.get("/").get_data(as_text=True)
    genres = charts(page)["Songs per genre"]
    assert (genres["labels"], genres["values"]) == (["Rock", "Jazz"], [2, 1])
    assert "2 songs have no genre." in page


def test_visitors_get_the_welcome_instead(browser, song):
    """Anonymous visitors see what Setlist is and how to log in, no figures."""
    page = browser.get("/").get_data(as_text=True)
    assert "stat-tiles" not in page
    assert "Log in" in page


def test_figures_cost_the_same_at_any_catalog_size(app, login_as, generated_catalog, statements):
    """Ten songs or 5,000: the same statements, none an aggregate over the songs (the
    figures are counters every change keeps), and the figures of the songs written."""
    listener = login_as("Listener")
    generated_catalog(10)
    listener.get("/")
    statements.clear()
    assert "10 Songs" in tiles_of(listener.get("/").get_data(as_text=True))
    few = len(statements)
    assert not [s for s in statements if "count(" in s.lower() and "song" in s.lower()]
    generated_catalog(4_990)
    statements.clear()
    page = listener.get("/").get_data(as_text=True)
    assert len(statements) == few
    assert "5,000 Songs" in tiles_of(page)
    assert sum(charts(page)["Songs per decade"]["values"]) == 5_000


def test_figures_are_in_each_visitors_language(standalone_app, visit):
    """The figures are numbers: a Spanish visit gets Spanish charts."""
    app = standalone_app(CATALOG_PUBLIC_BROWSE=True)
    english, spanish = visit(app), visit(app)
    assert "<h2>Songs per genre</h2>" in english.get("/").get_data(as_text=True)
    spanish.get("/lang/es")
    assert "<h2>Canciones por género</h2>" in spanish.get("/").get_data(as_text=True)
