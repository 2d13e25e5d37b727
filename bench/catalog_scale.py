"""Setlist at catalog scale, against two hand-written pages over the same database.

    cd bench && ../.venv/bin/python catalog_scale.py                  # SQLite, 100,000 songs
    cd bench && ../.venv/bin/python catalog_scale.py --database postgresql
    ... --songs 1000000 --baseline 100k.json  # after a 100k run with --save 100k.json

Builds a fresh database (`flask db upgrade`, then N generated songs written with bulk SQL:
10 songs an album, 5 albums an author), serves Setlist's production configuration and two
comparators each with gunicorn (2 workers): the bare page (handwritten.py: a count, 25 rows,
a pager) and the same-job page (samejob.py: that plus Setlist's per-request work: sign-in
checked on the server, permissions, menu, CSRF). It prints latency p50/p90 per page of all
three (interleaved requests), Setlist's ratio to each and issue 29's targets, HTML sizes,
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
import time
from pathlib import Path

import listener_scale
import scale_figures
from harness import PROJECT, Gunicorn, SessionClient, recreated_postgres
from scale_figures import percentile, throughput, timed
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

    Production leaves permissions to `flask catalog sync-roles`: no start writes them. The
    project's bytecode is compiled first, as a deployed server has it (deploy/setlist@.service):
    with PYTHONDONTWRITEBYTECODE set, or a project folder the server may not write, every
    start would compile Setlist's modules again (about 0.27 s).
    """
    compiling = [sys.executable, "-m", "compileall", "-q", "app", "config.py"]
    subprocess.run(compiling, cwd=PROJECT, check=True, capture_output=True)
    code = (
        "import time; t0 = time.perf_counter(); from app import create_app; "
        "t1 = time.perf_counter(); create_app('production'); t2 = time.perf_counter(); "
        "create_app('production'); print(t1 - t0, t2 - t1, time.perf_counter() - t2)"
    )
    command = [sys.executable, "-c", code]
    done = subprocess.run(command, cwd=PROJECT, env=env, check=True, capture_output=True, text=True)
    imported, first, later = done.stdout.split()
    return float(imported), float(first), float(later)


def statements_per_page(env: dict, paths: list[str]) -> dict[str, int | str]:
    """SQL statements each page runs, counted inside a production app as the admin; all "?"
    when a page fails (one process counts them all: a login each would hit the rate limit)."""
    counter = Path(__file__).with_name("count_statements.py")
    command = [sys.executable, str(counter), ADMIN, PASSWORD, *paths]
    done = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    if done.returncode:
        print(f"counting statements failed: {done.stderr.strip().splitlines()[-1]}")
        return dict.fromkeys(paths, "?")
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
    parser.add_argument("--save", help="write the page and requests/s figures to this JSON file")
    parser.add_argument("--baseline", help="a --save file of an earlier run to compare with")
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
    # Setlist with its production gunicorn.conf.py; all with 2 workers, logging warnings.
    settings = ("--workers", "2", "--log-level", "warning")
    servers = {}
    try:
        servers["setlist"] = Gunicorn(env, PROJECT, *settings, "app:create_app()")
        for side, module in (("bare", "handwritten"), ("samejob", "samejob")):
            servers[side] = Gunicorn(env, Path(__file__).parent, *settings, f"{module}:app")
        clients = {side: SessionClient(server.url) for side, server in servers.items()}
        clients["setlist"].log_in(ADMIN, PASSWORD)
        clients["samejob"].log_in(ADMIN, PASSWORD)  # its own /login/, its own login row
        login = clients["setlist"]
        print(f"load average before timing: {scale_figures.load_average()}")
        pages = scale_figures.page_figures(scale_figures.sample(clients, PAGES, options.rounds))
        scale_figures.print_pages(pages, {name: statements[ours] for name, ours, _ in PAGES})
        for name, path in EXTRA_PAGES:
            try:
                mine = [timed(login, path)[0] for _ in range(options.rounds)]
                kib = len(login.get(path)) / 1024
            except RuntimeError as error:  # one broken page need not end the run
                print(f"{name:<24}{error}")
                continue
            p50, p90 = statistics.median(mine), percentile(mine, 0.9)
            print(
                f"{name:<24}{'':>44}{p50:>12.1f}ms{p90:>6.1f}ms{kib:>35.1f}{statements[path]:>14}"
            )

        factories = {side: client.copy for side, client in clients.items()}
        rates = scale_figures.alternating_rates(
            factories, PAGES[0], options.clients, options.seconds, options.throughput_runs
        )
        scale_figures.print_rates(rates, options.clients)
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
            f"{floor_rps:.0f} ({floor_rps / rates['samejob']:.2f}× the same-job list)"
        )
        print(f"load average after timing: {scale_figures.load_average()}")
        figures = {"database": options.database, "songs": size.songs, "pages": pages}
        figures |= {"rates": rates, "floor": floor_rps, "load": scale_figures.load_average()}
        if options.save:
            scale_figures.save(options.save, figures)
        if options.baseline:
            scale_figures.print_baseline(options.baseline, figures)
        if scenario is not None:
            listener = SessionClient(servers["setlist"].url)
            listener.log_in(LISTENER, LISTENER_PASSWORD)
            report(env, listener, scenario, options.rounds)
        if fans is not None:
            listener_scale.report(env, servers["setlist"].url, fans, options.rounds)
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
