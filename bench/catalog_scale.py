"""Setlist at catalog scale, against a hand-written page over the same database.

    cd bench && ../.venv/bin/python catalog_scale.py                  # SQLite, 100,000 songs
    cd bench && ../.venv/bin/python catalog_scale.py --database postgresql

Builds a fresh database (`flask db upgrade`, then N generated songs written with bulk SQL:
10 songs an album, 5 albums an author), serves Setlist's production configuration and the
hand-written comparator (handwritten.py) each with gunicorn (2 workers), and prints:
latency p50/p90 per page and the ratio to the comparator (interleaved requests), HTML sizes,
SQL statements per page (counted in-process), requests/s with 8 clients (the mean of
alternating runs) and those of a signed-in page with only the layout (the ceiling of any
Setlist page), and the time of `create_app("production")` and of `flask db upgrade` on
an empty database; then the setlist and listener scenarios (setlist_scale, listener_scale).
PostgreSQL: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/setlist_bench,
dropped and recreated). Rate limits: BENCH_REDIS_URL (default redis://127.0.0.1:6379/0).
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import listener_scale
from harness import PROJECT, Gunicorn, SessionClient, recreated_postgres
from setlist_scale import LISTENER, LISTENER_PASSWORD, prepare, report

sys.path.insert(0, str(PROJECT))

from sqlalchemy import create_engine, text

from app.demo.scale import write_catalog

ADMIN, PASSWORD = "bench", "bench password long enough"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/setlist_bench"

#: (page, Setlist path, comparator path)
PAGES = [
    ("song list, page 1", "/songs/list/", "/songs?page=1"),
    ("song list, page 2000", "/songs/list/?page_SongModelView=1999", "/songs?page=2000"),
    ("album list", "/albums/list/", "/albums"),
    ("author list", "/authors/list/", "/authors"),
    ('title search "River"', "/songs/list/?_flt_0_title=River", "/songs?q=River"),
]
#: Setlist pages without a comparator, measured for size and SQL statements only.
EXTRA_PAGES = [
    ("home page", "/"),
    (
        "songs by rating, p 2000",
        "/songs/list/?_oc_SongModelView=rating&_od_SongModelView=asc&page_SongModelView=1999",
    ),
    ("album page (10 songs)", "/albums/show/1"),
    ("add song form", "/songs/add"),
    ("album picker, empty", "/search/albums/choices"),
    ('search "river"', "/search/?q=river"),
]

#: A signed-in page that renders the layout and nothing else (see main).
FLOOR_PAGE = "/no-such-page"


def fresh_database(kind: str, folder: Path) -> str:
    """An empty database URL of the given kind."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'scale.db'}"
    return recreated_postgres(os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES))


def production_env(database_url: str, folder: Path) -> dict:
    """The environment of Setlist's production configuration on the benchmark database."""
    return {
        **os.environ,
        "CATALOG_CONFIG": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "CATALOG_APP_PASSWORD_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "CATALOG_REGISTRATION": "false",
        "CATALOG_EXTERNAL_URL": "https://setlist.example.org",
        "LOG_LEVEL": "WARNING",
        # One machine: SQLite is allowed; rate limits count in the local Redis, as in production.
        "CATALOG_ALLOW_SQLITE": "true",
        "RATELIMIT_STORAGE_URI": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "RATELIMIT_KEY_PREFIX": f"setlist-bench-{secrets.token_hex(8)}",
    }


def flask(env: dict, *args: str) -> float:
    """Run a `flask` command; return its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def create_app_seconds(env: dict) -> tuple[float, float, float]:
    """(import s, first create_app("production") s, a later one s) in a fresh interpreter.

    Production leaves permissions to `flask catalog sync-roles`: no start writes them.
    """
    code = (
        "import time; t0 = time.perf_counter(); from app import create_app; "
        "t1 = time.perf_counter(); create_app('production'); t2 = time.perf_counter(); "
        "create_app('production'); print(t1 - t0, t2 - t1, time.perf_counter() - t2)"
    )
    command = [sys.executable, "-c", code]
    done = subprocess.run(command, cwd=PROJECT, env=env, check=True, capture_output=True, text=True)
    imported, first, later = done.stdout.split()
    return float(imported), float(first), float(later)


def timed(client, path: str) -> tuple[float, int]:
    """(milliseconds, body bytes) of one GET."""
    started = time.perf_counter()
    body = client.get(path)
    return (time.perf_counter() - started) * 1000, len(body)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie."""
    ordered = sorted(values)
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]


def throughput(client_factory, path: str, clients: int, seconds: float, status: int = 200) -> float:
    """Requests per second that `clients` concurrent clients get through on one page."""
    done = [0] * clients
    deadline = time.monotonic() + seconds

    def work(slot: int) -> None:
        client = client_factory()
        while time.monotonic() < deadline:
            answered = client.request("GET", path)[0]
            if answered != status:
                raise RuntimeError(f"GET {path} answered {answered}, not {status}")
            done[slot] += 1

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def statements_per_page(env: dict, paths: list[str]) -> dict[str, int]:
    """SQL statements each page runs, counted inside a production app as the admin."""
    counter = Path(__file__).with_name("count_statements.py")
    done = subprocess.run(
        [sys.executable, str(counter), ADMIN, PASSWORD, *paths],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"counting statements failed:\n{done.stderr}")
    counts = (line.split("\t") for line in done.stdout.splitlines())
    return {path: int(count) for path, count in counts}


def main() -> None:
    """Build, serve, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--songs", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=40, help="timed requests per page")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5, help="per throughput run")
    parser.add_argument("--throughput-runs", type=int, default=4, help="alternating, per side")
    parser.add_argument("--users", type=int, default=10_000, help="setlist scenario's people")
    parser.add_argument("--setlists", type=int, default=100_000)
    parser.add_argument("--long-setlist", type=int, default=5_000, help="entries of the long one")
    parser.add_argument("--no-setlists", action="store_true", help="skip the setlist scenario")
    parser.add_argument("--no-listeners", action="store_true", help="skip marks and plays")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="setlist-scale-"))
    database_url = fresh_database(options.database, folder)
    env = production_env(database_url, folder)
    upgrade_seconds = flask(env, "db", "upgrade")
    imported, first_start, later_start = create_app_seconds(env)
    started = time.perf_counter()
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        size = write_catalog(connection, options.songs)
    # Fresh statistics (and, on PostgreSQL, the visibility map autovacuum would set later).
    maintenance = "VACUUM ANALYZE" if options.database == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(maintenance))
    engine.dispose()
    load_seconds = time.perf_counter() - started
    flask(env, "catalog", "sync-roles")  # production leaves permissions to the deploy
    flask(env, "fab", "create-admin", "--username", ADMIN, "--firstname", "B", "--lastname", "B",
          "--email", "bench@example.org", "--password", PASSWORD)  # fmt: skip
    scenario = None if options.no_setlists else prepare(env, database_url, flask, options)
    fans = (
        None if options.no_listeners else listener_scale.prepare(env, database_url, flask, options)
    )

    print(f"Setlist at scale: {options.database}, {size.songs:,} songs, {size.albums:,} albums, "
          f"{size.authors:,} authors (written in {load_seconds:.1f} s)")  # fmt: skip
    print(f"flask db upgrade on an empty database: {upgrade_seconds:.2f} s")
    print(
        f"create_app('production'): {first_start:.2f} s the first time in a process, "
        f"{later_start:.2f} s the second (+ {imported:.2f} s of imports)\n"
    )

    statements = statements_per_page(env, [p[1] for p in PAGES] + [p[1] for p in EXTRA_PAGES])
    # Setlist with its production gunicorn.conf.py; both with 2 workers, logging warnings.
    settings = ("--workers", "2", "--log-level", "warning")
    setlist = Gunicorn(env, PROJECT, *settings, "app:create_app()")
    handwritten = Gunicorn(env, Path(__file__).parent, *settings, "handwritten:app")
    try:
        login = SessionClient(setlist.url)
        login.log_in(ADMIN, PASSWORD)
        plain = SessionClient(handwritten.url)
        for _ in range(3):  # warm both servers' workers and caches
            for _name, ours, theirs in PAGES:
                login.get(ours)
                plain.get(theirs)
        samples = {name: ([], []) for name, _, _ in PAGES}
        sizes = {}
        for _ in range(options.rounds):
            for name, ours, theirs in PAGES:
                ours_ms, ours_bytes = timed(login, ours)
                theirs_ms, theirs_bytes = timed(plain, theirs)
                samples[name][0].append(ours_ms)
                samples[name][1].append(theirs_ms)
                sizes[name] = (ours_bytes, theirs_bytes)

        header = f"{'page':<24}{'hand p50':>10}{'p90':>8}{'Setlist p50':>13}{'p90':>8}"
        print(header + f"{'ratio':>7}{'HTML KiB':>10}{'hand KiB':>10}{'SQL':>5}")
        for name, ours, _theirs in PAGES:
            mine, theirs = samples[name]
            ratio = statistics.median(mine) / statistics.median(theirs)
            print(
                f"{name:<24}{statistics.median(theirs):>8.1f}ms{percentile(theirs, 0.9):>6.1f}ms"
                f"{statistics.median(mine):>11.1f}ms{percentile(mine, 0.9):>6.1f}ms{ratio:>6.1f}×"
                f"{sizes[name][0] / 1024:>10.1f}{sizes[name][1] / 1024:>10.1f}{statements[ours]:>5}"
            )
        for name, path in EXTRA_PAGES:
            mine = [timed(login, path)[0] for _ in range(options.rounds)]
            kib = len(login.get(path)) / 1024
            p50, p90 = statistics.median(mine), percentile(mine, 0.9)
            print(
                f"{name:<24}{'':>18}{p50:>11.1f}ms{p90:>6.1f}ms"
                f"{'':>7}{kib:>10.1f}{'':>10}{statements[path]:>5}"
            )

        # Alternating runs, each side first in turn: this machine's speed drifts by 10-20 %
        # from minute to minute, which two back-to-back runs would take for a difference.
        page_one = PAGES[0]
        ours, theirs = [], []
        for run in range(options.throughput_runs):
            pair = [(ours, login.copy, page_one[1]), (theirs, plain.copy, page_one[2])]
            for rates, client_factory, path in pair if run % 2 == 0 else reversed(pair):
                rates.append(throughput(client_factory, path, options.clients, options.seconds))
        ours_rps, theirs_rps = statistics.mean(ours), statistics.mean(theirs)
        print(
            f"\nrequests/s, song list page 1, gunicorn 2 workers, {options.clients} clients: "
            f"hand-written {theirs_rps:.0f}, Setlist {ours_rps:.0f} ({ours_rps / theirs_rps:.2f}×)"
        )
        # The ceiling of any Setlist page: a signed-in page with the layout and nothing in
        # it (the not-found page) still reads the session, the user and the permissions,
        # checks the rate limits, logs and sets the security headers.
        floor = [
            throughput(login.copy, FLOOR_PAGE, options.clients, options.seconds, status=404)
            for _ in range(2)
        ]
        floor_rps = statistics.mean(floor)
        print(
            f"requests/s, signed-in page with only the layout ({FLOOR_PAGE}, 404): "
            f"{floor_rps:.0f} ({floor_rps / theirs_rps:.2f}× the hand-written list)"
        )
        if scenario is not None:
            listener = SessionClient(setlist.url)
            listener.log_in(LISTENER, LISTENER_PASSWORD)
            report(env, listener, scenario, options.rounds)
        if fans is not None:
            listener_scale.report(env, setlist.url, fans, options.rounds)
    finally:
        setlist.stop()
        handwritten.stop()


if __name__ == "__main__":
    main()
