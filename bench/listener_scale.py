"""catalog_scale.py's listener scenario: favourites, ratings and plays of 10,000 people.

prepare() adds a listener who signs in, then writes with bulk SQL (app/demo/listener_scale.py)
for each generated person (the setlist scenario's, or written here) about 50 starred and 30
rated songs, 10 starred albums, 5 starred authors and 200 played songs, and for the listener a
heavy share (2,000 starred songs, 300 albums, 5,000 played songs); report() measures, against
the running server and as that listener: My music's lists (first and last pages, 100 rows a
page), the home page (Recently and Most played) and the song list with its hearts, interleaved
with the song list page (target: within 1.5x of it), and each page's SQL statements counted
in-process (count_statements.py): they must not grow with the rows a page shows.
"""

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from harness import PROJECT, SessionClient

sys.path.insert(0, str(PROJECT))

from sqlalchemy import create_engine, text

from app.demo.listener_scale import ListenerScale, generated_people, write_listener_data

FAN, FAN_PASSWORD = "bench-fan", "bench fan password long enough"
TARGET = 1.5
BASE = "song list, page 1"
#: Pages of 100 rows are compared with the song list's page of 100 rows.
WIDE_BASE = "song list, 100 a page"


@dataclass(frozen=True)
class Scenario:
    """What prepare() wrote, and how long it took."""

    scale: ListenerScale
    seconds: float


def prepare(env: dict, database_url: str, flask, options) -> Scenario:
    """Add the listener, then everyone's marks and plays; fresh statistics afterwards."""
    flask(env, "fab", "create-user", "--role", "Listener", "--username", FAN,
          "--firstname", "F", "--lastname", "F", "--email", "fan@example.org",
          "--password", FAN_PASSWORD)  # fmt: skip
    started = time.perf_counter()
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        fan = connection.scalar(text("SELECT id FROM ab_user WHERE username = :u"), {"u": FAN})
        role = connection.scalar(text("SELECT id FROM ab_role WHERE name = 'Listener'"))
        people = generated_people(connection, options.users, role)
        scale = write_listener_data(connection, people, fan)
    maintenance = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(maintenance))
    engine.dispose()
    return Scenario(scale, time.perf_counter() - started)


def last_page(rows: int, view: str, size: int = 25) -> tuple[str, str]:
    """(label, query) of a list's last page (FAB counts pages from 0)."""
    pages = max(1, -(-rows // size))
    return f"page {pages}", f"?page_{view}={pages - 1}"


def pages(scenario: Scenario) -> list[tuple[str, str]]:
    """(name, path) of the pages compared with the song list page."""
    heavy = scenario.scale.heavy
    fav = "/my/favourites/song/list/"
    fav_last, fav_query = last_page(heavy.starred_songs, "MyFavouriteSongsView")
    recent_last, recent_query = last_page(heavy.played_songs, "RecentlyPlayedView")
    albums_last, albums_query = last_page(heavy.starred_albums, "MyFavouriteAlbumsView")
    return [
        (BASE, "/songs/list/"),
        (WIDE_BASE, "/songs/list/?psize_SongModelView=100"),
        ("song list, page 2000", "/songs/list/?page_SongModelView=1999"),
        ("favourite songs, page 1", fav),
        (f"favourite songs, {fav_last}", fav + fav_query),
        ("favourite songs, 100 a page", fav + "?psize_MyFavouriteSongsView=100"),
        ("favourite songs by title", fav + "?_oc_MyFavouriteSongsView=title"),
        ("recently played, page 1", "/my/recent/list/"),
        (f"recently played, {recent_last}", "/my/recent/list/" + recent_query),
        ("recently played, 100 a page", "/my/recent/list/?psize_RecentlyPlayedView=100"),
        ("most played, page 1", "/my/most/list/"),
        ("favourite albums, page 1", "/my/favourites/album/list/"),
        (f"favourite albums, {albums_last}", "/my/favourites/album/list/" + albums_query),
        ("favourite authors, page 1", "/my/favourites/author/list/"),
        ("home page (played)", "/"),
    ]


def timed_pages(client, scenario: Scenario, rounds: int) -> dict[str, list[float]]:
    """Interleaved GETs of each page, after three warm-up rounds: milliseconds."""
    samples: dict[str, list[float]] = {name: [] for name, _ in pages(scenario)}
    for _ in range(3 + rounds):
        for name, path in pages(scenario):
            started = time.perf_counter()
            client.get(path)
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: values[3:] for name, values in samples.items()}


def statements(env: dict, scenario: Scenario) -> dict[str, int]:
    """Each page's SQL statements, counted in-process as the listener."""
    paths = [path for _, path in pages(scenario)]
    counter = Path(__file__).with_name("count_statements.py")
    done = subprocess.run([sys.executable, str(counter), FAN, FAN_PASSWORD, *paths],
                          cwd=PROJECT, env=env, capture_output=True, text=True)  # fmt: skip
    if done.returncode:
        raise SystemExit(f"counting the listener's statements failed:\n{done.stderr}")
    counts = (line.split("\t") for line in done.stdout.splitlines())
    return {path: int(count) for path, count in counts}


def p50_p90(values: list[float]) -> str:
    """ "p50 / p90 ms"."""
    ordered = sorted(values)
    p90 = ordered[min(int(0.9 * len(ordered)), len(ordered) - 1)]
    return f"{statistics.median(ordered):.1f} / {p90:.1f} ms"


def report(env: dict, base_url: str, scenario: Scenario, rounds: int) -> None:
    """Sign in as the listener on the running server, measure and print the scenario."""
    scale, heavy = scenario.scale, scenario.scale.heavy
    print(f"\nListeners: {scale.listeners:,} people, {scale.song_marks:,} song marks, "
          f"{scale.album_marks:,} album and {scale.author_marks:,} author marks, "
          f"{scale.plays:,} played songs ({scale.rows:,} rows, written in "
          f"{scenario.seconds:.1f} s); signed in as a listener with {heavy.starred_songs:,} "
          f"starred songs, {heavy.starred_albums:,} albums, {heavy.starred_authors:,} authors, "
          f"{heavy.played_songs:,} played songs")  # fmt: skip
    client = SessionClient(base_url)
    client.log_in(FAN, FAN_PASSWORD)
    counts = statements(env, scenario)
    samples = timed_pages(client, scenario, rounds)
    bases = {False: statistics.median(samples[BASE]), True: statistics.median(samples[WIDE_BASE])}
    print("(ratio: to the song list's page 1, or to its page of 100 rows for pages of 100)")
    print(f"{'page':<32}{'p50 / p90':>20}{'ratio':>8}{'target':>9}{'SQL':>5}")
    for name, path in pages(scenario):
        ratio = statistics.median(samples[name]) / bases[name.endswith("100 a page")]
        verdict = "—" if name.startswith("song list") else "met" if ratio <= TARGET else "MISSED"
        print(f"{name:<32}{p50_p90(samples[name]):>20}{ratio:>7.2f}×{verdict:>9}"
              f"{counts[path]:>5}")  # fmt: skip
