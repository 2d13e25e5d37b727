"""In-process cost of a signed-in admin request: ms per request, SQL statements, profile.

    cd bench && ../.venv/bin/python request_profile.py              # 100,000 songs, SQLite
    cd bench && ../.venv/bin/python request_profile.py --songs 10000 --profile 25

Builds a SQLite database (`flask db upgrade`, generated songs, `flask catalog sync-roles`,
an admin), then inside one process runs Setlist's production configuration with Flask's
test client (no server, no network: the figure of the application's own work, steadier
than gunicorn's on a shared machine). For each page it prints the median and p90 ms per
request (wall clock), the median CPU ms of the process (steadier on a loaded machine),
the SQL statements and Python function calls per request, and with --profile N the N
functions with the most own time (cProfile, over all timed requests).
The signed-in 404 page is the fixed cost every page pays: session, login row, user,
permissions, menu, rate limits, log line, headers and the layout. `--same-job` also times
samejob.py's song, album and author lists in this process on the same database and prints
the CPU ratio of each list (the figure behind catalog_scale.py's requests/s ratio).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from catalog_scale import ADMIN, PASSWORD, flask, production_env
from count_statements import BASE_URL, CSRF
from harness import PROJECT
from scale_figures import load_average, percentile

sys.path.insert(0, str(PROJECT))

from sqlalchemy import create_engine, event, text

from app.demo.scale import write_catalog

PAGES = ("/no-such-page/", "/", "/songs/list/")
#: Setlist's lists and the same-job comparator's page for each (bench/samejob.py).
SAME_JOB = {"/songs/list/": "/songs", "/albums/list/": "/albums", "/authors/list/": "/authors"}


def build_database(folder: Path, songs: int) -> dict:
    """A SQLite catalog with an admin; the production environment that serves it."""
    database_url = f"sqlite:///{folder / 'profile.db'}"
    env = production_env(database_url, folder)
    if (folder / "profile.db").exists():  # --folder of an earlier run: reuse its catalog
        return env
    flask(env, "db", "upgrade")
    engine = create_engine(database_url)
    with engine.begin() as connection:
        write_catalog(connection, songs)
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    flask(env, "catalog", "sync-roles")
    flask(env, "fab", "create-admin", "--username", ADMIN, "--firstname", "B", "--lastname", "B",
          "--email", "bench@example.org", "--password", PASSWORD)  # fmt: skip
    return env


def signed_in_client(app):
    """A test client signed in as the admin through the login form."""
    client = app.test_client()
    login_page = client.get("/login/", base_url=BASE_URL).get_data(as_text=True)
    fields = {"csrf_token": CSRF.search(login_page).group(1), "username": ADMIN}
    client.post(
        "/login/",
        data={**fields, "password": PASSWORD},
        base_url=BASE_URL,
        headers={"Referer": f"{BASE_URL}/login/"},
    )
    return client


def measure(client, path: str, rounds: int, statements: list) -> dict:
    """Milliseconds per request (median, p90), statements and function calls per request."""
    for _ in range(5):  # warm caches (templates, statements, menus) as a serving worker has
        client.get(path, base_url=BASE_URL)
    times, cpu_times = [], []
    statements.clear()
    for _ in range(rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path, base_url=BASE_URL)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
    status, sent = response.status_code, len(statements) / rounds
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        client.get(path, base_url=BASE_URL)
    profiler.disable()
    stats = pstats.Stats(profiler)
    return {
        "status": status,
        "p50": statistics.median(times),
        "p90": percentile(times, 0.9),
        "cpu": statistics.median(cpu_times),
        "statements": sent,
        "calls": stats.total_calls / rounds,
        "stats": stats,
    }


def main() -> None:
    """Build, sign in, measure each page, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--songs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--profile", type=int, default=0, help="top N functions by own time")
    parser.add_argument("--sort", default="tottime", help="pstats order: tottime, cumulative")
    parser.add_argument("--folder", help="keep the database here and reuse it next time")
    parser.add_argument("--callers", help="also print who calls functions matching this text")
    parser.add_argument(
        "--same-job", action="store_true", help="also time samejob.py's lists in-process"
    )
    parser.add_argument("paths", nargs="*", default=list(PAGES))
    options = parser.parse_args()

    folder = Path(options.folder or tempfile.mkdtemp(prefix="setlist-profile-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = build_database(folder, options.songs)
    os.environ.update(env)
    os.chdir(PROJECT)
    from app import create_app
    from app.extensions import db

    app = create_app("production")
    client = signed_in_client(app)
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *_: statements.append(1))
    print(f"{options.songs:,} songs, SQLite, production config, in-process, signed-in admin")
    print(f"load average before: {load_average()}")
    print(f"{'page':<24}{'status':>7}{'p50 ms':>9}{'p90 ms':>9}{'CPU ms':>9}{'SQL':>6}{'calls':>9}")
    results = {path: measure(client, path, options.rounds, statements) for path in options.paths}
    for path, result in results.items():
        print(
            f"{path:<24}{result['status']:>7}{result['p50']:>9.2f}{result['p90']:>9.2f}"
            f"{result['cpu']:>9.2f}"
            f"{result['statements']:>6.0f}{result['calls']:>9.0f}"
        )
    print(f"load average after: {load_average()}")
    if options.same_job:
        compare_same_job(env["DATABASE_URL"], results, options.rounds)
    for path, result in results.items():
        if options.profile:
            heading = f"top {options.profile} by {options.sort}"
            print_stats(path, heading, result["stats"].sort_stats(options.sort), "print_stats",
                        options.profile)  # fmt: skip
        if options.callers:
            heading = f"callers of {options.callers}"
            print_stats(path, heading, result["stats"].sort_stats(options.sort), "print_callers",
                        options.callers)  # fmt: skip


def print_stats(path: str, heading: str, stats: pstats.Stats, how: str, restriction) -> None:
    """One page's profile printed by a pstats method (`how`), under a heading."""
    out = io.StringIO()
    stats.stream = out
    getattr(stats, how)(restriction)
    print(f"\n== {path}: {heading} ==")
    # Past pstats' heading (the totals, the order and the restriction applied).
    lines = out.getvalue().splitlines()
    print("\n".join(lines[next(n for n, line in enumerate(lines) if "ncalls" in line) :]))


def compare_same_job(database_url: str, results: dict, rounds: int) -> None:
    """Time the same-job page of each list timed above, in this process, and print the
    CPU of both: the work each does per request, without gunicorn, sockets or the client."""
    os.environ.update(DATABASE_URL=database_url, SECRET_KEY="bench same-job secret")
    import samejob

    client = samejob.app.test_client()
    token = CSRF.search(client.get("/login/").get_data(as_text=True)).group(1)
    client.post("/login/", data={"csrf_token": token, "username": ADMIN, "password": PASSWORD})
    statements = []
    event.listen(samejob.engine, "before_cursor_execute", lambda *_: statements.append(1))
    print(f"\n{'in-process CPU ms':<24}{'Setlist':>9}{'same-job':>9}{'ratio':>8}{'SQL':>5}")
    for path, setlist in results.items():
        if path not in SAME_JOB:
            continue
        same = measure(client, SAME_JOB[path], rounds, statements)
        assert same["status"] == 200, (SAME_JOB[path], same["status"])
        ratio = setlist["cpu"] / same["cpu"]
        print(
            f"{path:<24}{setlist['cpu']:>9.2f}{same['cpu']:>9.2f}{ratio:>7.2f}×"
            f"{same['statements']:>5.0f}"
        )


if __name__ == "__main__":
    main()
