"""Each page at two catalog sizes served side by side: 1,000,000 ÷ 100,000 in one run.

    cd bench && ../.venv/bin/python size_ratio.py                        # PostgreSQL
    cd bench && ../.venv/bin/python size_ratio.py --database sqlite --large 300000

catalog_scale.py's --baseline compares two runs minutes apart, and this machine's speed drifts
between them: the same unchanged song list read 0.98, 1.15 and 1.49 times its 100k figure in
three such runs.
Here two catalogs (--small and --large generated songs, each in its own database) are served
at once by Setlist's production configuration (gunicorn, 2 workers each), and each round asks
both for every page in turn, so drift falls on both sizes alike. Prints p50/p90 per page at
each size, their ratio against issue 29's 1.3 times, and SQL statements per page at each size.
PostgreSQL databases: BENCH_DATABASE_URL with _small and _large appended (recreated).
"""

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from catalog_scale import (
    ADMIN,
    DEFAULT_POSTGRES,
    EXTRA_PAGES,
    PAGES,
    PASSWORD,
    flask,
    production_env,
    statements_per_page,
)
from harness import PROJECT, Gunicorn, SessionClient, recreated_postgres
from scale_figures import SCALE_TARGET, load_average, percentile, timed
from sqlalchemy import create_engine, text

from app.demo.scale import write_catalog

SIZES = ("small", "large")


def built(kind: str, size: str, songs: int, folder: Path) -> dict:
    """The production environment of a fresh database holding `songs` generated songs."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / f'{size}.db'}"
    else:
        url = recreated_postgres(
            os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES) + f"_{size}"
        )
    env = production_env(url, folder / size)
    flask(env, "db", "upgrade")
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        write_catalog(connection, songs)
    maintenance = "VACUUM ANALYZE" if kind == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(maintenance))
    engine.dispose()
    flask(env, "catalog", "sync-roles")
    flask(env, "fab", "create-admin", "--username", ADMIN, "--firstname", "B", "--lastname", "B",
          "--email", "bench@example.org", "--password", PASSWORD)  # fmt: skip
    return env


def interleaved(clients: dict, paths: list[str], rounds: int) -> dict:
    """{path: {size: [ms, ...]}}: each round asks both sizes every page in turn."""
    for _ in range(3):  # warm both servers' workers and caches
        for path in paths:
            for size in SIZES:
                clients[size].get(path)
    times = {path: {size: [] for size in SIZES} for path in paths}
    for _ in range(rounds):
        for path in paths:
            for size in SIZES:
                times[path][size].append(timed(clients[size], path)[0])
    return times


def main() -> None:
    """Build both catalogs, serve both, time every page interleaved, print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=40, help="timed requests per page and size")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="setlist-sizes-"))
    started = time.perf_counter()
    envs = {size: built(options.database, size, getattr(options, size), folder) for size in SIZES}
    print(f"Setlist at {options.small:,} and {options.large:,} songs, {options.database} "
          f"(built in {time.perf_counter() - started:.0f} s)")  # fmt: skip
    pages = [(name, path) for name, path, _ in PAGES] + EXTRA_PAGES
    paths = [path for _, path in pages]
    statements = {size: statements_per_page(envs[size], paths) for size in SIZES}
    servers = {}
    try:
        for size in SIZES:
            servers[size] = Gunicorn(
                envs[size], PROJECT, "--workers", "2", "--log-level", "warning", "app:create_app()"
            )
        clients = {size: SessionClient(server.url) for size, server in servers.items()}
        for client in clients.values():
            client.log_in(ADMIN, PASSWORD)
        print(f"load average before timing: {load_average()}")
        times = interleaved(clients, paths, options.rounds)
        print(f"load average after timing: {load_average()}")
    finally:
        for server in servers.values():
            server.stop()
    print(f"{'page':<26}{'small p50':>10}{'p90':>8}{'large p50':>10}{'p90':>8}"
          f"{'p50 ×':>7}{'p90 ×':>7}  target  SQL")  # fmt: skip
    for name, path in pages:
        small, large = times[path]["small"], times[path]["large"]
        p50s = [statistics.median(small), statistics.median(large)]
        p90s = [percentile(small, 0.9), percentile(large, 0.9)]
        ratios = (p50s[1] / p50s[0], p90s[1] / p90s[0])
        verdict = "ok" if max(ratios) <= SCALE_TARGET else "MISS"
        sql = f"{statements['small'][path]}/{statements['large'][path]}"
        timing = f"{p50s[0]:>8.1f}ms{p90s[0]:>6.1f}ms{p50s[1]:>8.1f}ms{p90s[1]:>6.1f}ms"
        print(f"{name:<26}{timing}{ratios[0]:>6.2f}×{ratios[1]:>6.2f}×  "
              f"≤{SCALE_TARGET} {verdict:<4} {sql}")  # fmt: skip


if __name__ == "__main__":
    main()
