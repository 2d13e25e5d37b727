"""/search/, pickers and the title-filtered song list at scale: p50/p90 per query, one database.

    cd bench && ../.venv/bin/python search_scale.py --songs 100000 --save 100k.json
    cd bench && ../.venv/bin/python search_scale.py --songs 1000000 --baseline 100k.json \
        --database-url sqlite:////tmp/search.db      # the same database, grown to 1M

Brings the database to the schema's head (`flask db upgrade`) and tops its catalog up to
--songs generated songs with bulk SQL (app/demo/scale.py: 10 songs an album, 5 albums an
author), so one database measured at 100,000 and then grown to 1,000,000 compares the same
rows. Serves Setlist's production configuration with gunicorn (2 workers), signs in as an
admin and times each query's page (--rounds requests, interleaved), printing p50/p90, the
SQL statements of each (counted in-process) and, with --baseline, this run ÷ that one.
Without --database-url: a new SQLite file, or BENCH_DATABASE_URL's PostgreSQL database
recreated (as catalog_scale.py). Rate limits count in BENCH_REDIS_URL's Redis.
"""

import argparse
import contextlib
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from catalog_scale import ADMIN, PASSWORD, flask, fresh_database, production_env
from catalog_scale import statements_per_page as count_statements
from harness import PROJECT, Gunicorn, SessionClient
from scale_figures import load_average, percentile, timed
from sqlalchemy import create_engine, func, select, text

from app.demo.scale import write_catalog
from app.models import Song

#: (what it shows, path): words of the generated titles (app/demo/scale.py WORDS).
QUERIES = [
    ("common word", "/search/?q=river"),
    ("rare text", "/search/?q=velvet%20echo%207"),
    ("no match", "/search/?q=zzqx"),
    ("prefix", "/search/?q=mid"),
    ("inside words", "/search/?q=ilve"),
    ("accented", "/search/?q=%C3%A9toile"),
    ("two letters", "/search/?q=ve"),
    ("album picker", "/search/albums/choices?q=echo"),
    ("album picker, page 20", "/search/albums/choices?q=echo&page=20"),
    ("author picker, empty", "/search/authors/choices"),
    # The song list's title filter (KeyContains): a dense word, rarer texts and none.
    ("song list, title River", "/songs/list/?_flt_0_title=River"),
    ("song list, rare title", "/songs/list/?_flt_0_title=velvet%20echo"),
    # Between the text cap and the sample (2,892 matches in 1,000,000 songs).
    ("song list, mid title", "/songs/list/?_flt_0_title=velvet%20e"),
    ("song list, no title", "/songs/list/?_flt_0_title=zzqx"),
]


def grow(database_url: str, songs: int, kind: str) -> int:
    """Add generated songs until the catalog has `songs`; the number it has."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        missing = songs - connection.scalar(select(func.count()).select_from(Song))
        if missing > 0:
            write_catalog(connection, missing)
    # Fresh statistics (and, on PostgreSQL, the visibility map autovacuum would set later).
    maintenance = "VACUUM ANALYZE" if kind == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(maintenance))
        total = connection.scalar(select(func.count()).select_from(Song))
    engine.dispose()
    return total


def sample(client: SessionClient, rounds: int) -> dict[str, list[float]]:
    """Milliseconds per query, the queries interleaved round by round."""
    times = {path: [] for _name, path in QUERIES}
    for _ in range(rounds):
        for _name, path in QUERIES:
            times[path].append(timed(client, path)[0])
    return times


def print_baseline(path: str, figures: dict) -> None:
    """Per query, this run's p50 and p90 over the baseline run's (issue 29: at most 1.3 times)."""
    with open(path) as source:
        baseline = json.load(source)
    print(f"\nthis run ({figures['songs']:,} songs) ÷ baseline ({baseline['songs']:,} songs)")
    for name, query in QUERIES:
        now, then = figures["queries"].get(query), baseline["queries"].get(query)
        if now and then:
            print(f"{name:<24}p50 {now[0] / then[0]:>5.2f}×   p90 {now[1] / then[1]:>5.2f}×")


def main() -> None:
    """Grow, serve, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--songs", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", help="grow this database instead of a new one")
    parser.add_argument("--rounds", type=int, default=40, help="timed requests per query")
    parser.add_argument("--save", help="write the figures to this JSON file")
    parser.add_argument("--baseline", help="a --save file of an earlier run to compare with")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="setlist-search-"))
    database_url = options.database_url or fresh_database(options.database, folder)
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    # Timing asks far more than a person typing: the search limit must not answer 429.
    env = {**production_env(database_url, folder), "RATELIMIT_SEARCH": "100000 per minute"}
    flask(env, "db", "upgrade")
    started = time.perf_counter()
    songs = grow(database_url, options.songs, kind)
    grown = time.perf_counter() - started
    flask(env, "catalog", "sync-roles")
    # A grown database has its admin from an earlier run already.
    with contextlib.suppress(subprocess.CalledProcessError):
        flask(env, "fab", "create-admin", "--username", ADMIN, "--firstname", "B", "--lastname",
              "B", "--email", "bench@example.org", "--password", PASSWORD)  # fmt: skip
    statements = count_statements(env, [path for _name, path in QUERIES])
    print(f"/search/ at scale: {kind}, {songs:,} songs (grown in {grown:.1f} s)")
    server = Gunicorn(env, PROJECT, "--workers", "2", "--log-level", "warning", "app:create_app()")
    try:
        client = SessionClient(server.url)
        client.log_in(ADMIN, PASSWORD)
        for _name, path in QUERIES:  # warm both workers' caches and connections
            for _ in range(4):
                client.get(path)
        print(f"load average before timing: {load_average()}")
        times = sample(client, options.rounds)
        print(f"{'query':<24}{'p50':>9}{'p90':>9}{'SQL':>6}  path")
        figures = {"database": kind, "songs": songs, "queries": {}}
        for name, path in QUERIES:
            p50, p90 = statistics.median(times[path]), percentile(times[path], 0.9)
            figures["queries"][path] = [p50, p90]
            print(f"{name:<24}{p50:>7.1f}ms{p90:>7.1f}ms{statements[path]:>6}  {path}")
        print(f"load average after timing: {load_average()}")
    finally:
        server.stop()
    if options.save:
        Path(options.save).write_text(json.dumps(figures, indent=1))
    if options.baseline:
        print_baseline(options.baseline, figures)


if __name__ == "__main__":
    main()
