"""Filtered list pages at two catalog sizes: `filtered_lists.py [--sizes 100000 1000000]`.

In-process on SQLite files (list_profile.py's, seeded once per size): the median time of
the filtered song list's first, a deep and its "Last page" and a rarer text's first page,
beside the full count of the filter's matches that every such page ran before
LIST_EXACT_COUNT_CAP (what it saves), and the ratio of each figure between the largest and
the smallest catalog (issue 29: 1.3x).
"""

import argparse
import statistics
import time

from list_profile import prepared_app, signed_in
from sqlalchemy import func, select

from app.extensions import db
from app.models import Song

FILTERED = "/songs/list/?_flt_0_title=River"
PAGES = {
    "filtered, page 1": FILTERED,
    "filtered, page 40": f"{FILTERED}&page_SongModelView=39",
    "filtered, last page": f"{FILTERED}&last_SongModelView=1",
    # A rarer text: its few matches come from the trigram table's ids on SQLite.
    "rare title, page 1": "/songs/list/?_flt_0_title=velvet%20echo",
}


def median_ms(run, rounds: int) -> float:
    """The median wall time of `run()` in milliseconds."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def figures(songs: int, rounds: int, cap: int | None) -> dict[str, float]:
    """Each page's median ms, and the full count's, at one catalog size."""
    app = prepared_app(songs)
    if cap is not None:
        app.config["CATALOG_LIST_EXACT_COUNT_CAP"] = cap
    client = signed_in(app)
    found = {}
    for name, path in PAGES.items():
        page = client.get(path)
        if page.status_code != 200:
            raise SystemExit(f"{path} answered {page.status_code}")
        found[name] = median_ms(lambda path=path: client.get(path), rounds)
    with app.app_context():
        counting = select(func.count()).where(Song.title_key.contains("river"))
        found["full count of the matches (before)"] = median_ms(
            lambda: db.session.scalar(counting), rounds
        )
    return found


def main() -> None:
    """Print the figures per size and the ratio of the largest to the smallest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--cap", type=int, help="CATALOG_LIST_EXACT_COUNT_CAP (default: the app's)")
    options = parser.parse_args()
    by_size = {songs: figures(songs, options.rounds, options.cap) for songs in options.sizes}
    smallest, largest = min(by_size), max(by_size)
    sizes = " / ".join(map(str, by_size))
    print(
        f"median ms, SQLite, {options.rounds} rounds, cap {options.cap or 'default'}: {sizes} songs"
    )
    for name in by_size[smallest]:
        cells = " / ".join(f"{by_size[songs][name]:.1f}" for songs in by_size)
        ratio = by_size[largest][name] / by_size[smallest][name]
        print(f"{name}: {cells} ms, {ratio:.2f}x")


if __name__ == "__main__":
    main()
