"""Time and peak memory of exporting 100,000 songs as CSV, in-process (the app's own code).

    .venv/bin/python bench/export_scale.py                          # SQLite, 100,000 songs
    .venv/bin/python bench/export_scale.py --database postgresql    # TEST_DATABASE_URL's server

Builds a fresh migrated database with N generated songs (app/demo/scale.py), signs a
Listener in with the test client and reads /songs/export.csv to the end: once for the wall
time, once under tracemalloc for the peak of Python memory the export allocated on top of
what the app held before it started. PostgreSQL uses a scratch database beside
TEST_DATABASE_URL's (dropped and recreated).
"""

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.demo.scale import write_catalog
from app.extensions import db
from tests.support.apps import add_role_users, build_app
from tests.support.databases import fresh_database_url
from tests.support.forms import Browser


def read_export(client) -> int:
    """Read the song export to its end, piece by piece as a download would; its size."""
    response = client.get("/songs/export.csv", buffered=False)
    assert response.status_code == 200, response.status_code
    size = sum(len(piece) for piece in response.response)
    response.close()
    return size


def main() -> None:
    """Build the catalog, then measure one export's time and one export's peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--songs", type=int, default=100_000)
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="setlist-export-"))
    url = fresh_database_url(arguments.database, folder, number=9)
    app = build_app(url, folder / "uploads", LOG_LEVEL="ERROR")
    users = add_role_users(app)
    with app.app_context(), db.engine.begin() as connection:
        write_catalog(connection, arguments.songs)
    listener = Browser(app.test_client())
    assert listener.login(users["Listener"])
    read_export(listener.client)  # warm: imports, statement cache, database pages
    started = time.perf_counter()
    size = read_export(listener.client)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    before, _peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    read_export(listener.client)
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{arguments.database}: {arguments.songs:,} songs, {size / 1e6:.1f} MB in "
        f"{seconds:.1f} s; peak {(peak - before) / 2**20:.1f} MiB allocated by the export"
    )
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
