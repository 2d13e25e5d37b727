"""A list page's own cost, in-process: `list_profile.py [--songs N] [--pages N] [--profile L]`.

Builds the testing app on a SQLite file (kept in the temp folder, seeded once with N generated
songs), signs in as an admin and GETs the song, album and author lists, the same page over
and over, beside a signed-in 404 page (the layout and the request's fixed cost only). Prints
the median CPU time per page (the process's own: other load on the machine moves it less),
what is left of it above the 404 page, the part spent making the rows (their values and HTML:
list_rows), and per page how often the
functions that dominated a list page were called (url_for, markupsafe.escape, the data
model's value_of). Being in-process and single-threaded, it is the figure of record on a
shared, noisy machine; `--profile [songs|albums|authors]` adds cProfile's top functions for
one list (`--sort tottime` to order them by own time).
"""

import argparse
import cProfile
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade

from app import create_app
from app.demo import seed_generated_catalog
from app.extensions import db

PAGES = {
    "songs": "/songs/list/",
    "albums": "/albums/list/",
    "authors": "/authors/list/",
    "404": "/no-such-page/",
}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
USER, PASSWORD = "bench-admin", "bench admin password long enough"
#: The functions that dominated a list page's time: (label, file ending, function name).
COUNTED = (
    ("url_for", "flask/app.py", "url_for"),
    ("escape", "markupsafe/__init__.py", "escape"),
    ("value_of", "app/fab/datamodels.py", "value_of"),
    ("jinja calls", "jinja2/runtime.py", "call"),
)


def prepared_app(songs: int):
    """The testing app on a migrated SQLite file holding `songs` generated songs."""
    path = Path(tempfile.gettempdir()) / f"setlist-list-profile-{songs}.sqlite"
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "UPLOAD_FOLDER": tempfile.mkdtemp(prefix="list-profile-"),
    }
    fresh = not path.exists()
    if fresh:
        migrating = create_app("testing", **settings)
        with migrating.app_context():
            upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))
            db.engine.dispose()
    app = create_app("testing", **settings)
    with app.app_context():
        if fresh:
            seed_generated_catalog(db.session, songs)
        sm = app.appbuilder.sm
        if sm.find_user(username=USER) is None:
            sm.add_user(USER, "B", "A", "bench@example.org", sm.find_role("Admin"), PASSWORD)
    return app


def signed_in(app):
    """A test client signed in through the login form."""
    client = app.test_client()
    page = client.get("/login/").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    client.post("/login/", data={"csrf_token": token, "username": USER, "password": PASSWORD})
    return client


def call_counts(client, path: str) -> dict[str, int]:
    """How often one GET of `path` called each function in COUNTED (from cProfile)."""
    profiler = cProfile.Profile()
    profiler.runcall(client.get, path)
    counts = dict.fromkeys((label for label, _, _ in COUNTED), 0)
    for (filename, _, function), row in pstats.Stats(profiler).stats.items():
        for label, ending, name in COUNTED:
            if function == name and filename.endswith(ending):
                counts[label] += row[1]
    return counts


def timed_rows(app, spent: list[float]) -> None:
    """Add to `spent` the CPU time of each list_rows call (a page's rows: their values,
    computed columns included, and their HTML)."""
    list_rows = app.jinja_env.globals["list_rows"]

    def timed(rows, *args, **kwargs):
        started = time.process_time()
        try:
            return list_rows(list(rows), *args, **kwargs)
        finally:
            spent.append(time.process_time() - started)

    app.jinja_env.globals["list_rows"] = timed


def main() -> None:
    """Time each page, then count its calls once."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--songs", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument(
        "--profile",
        nargs="?",
        const="songs",
        choices=[name for name in PAGES if name != "404"],
        help="cProfile's top functions of one list (default: songs)",
    )
    parser.add_argument("--sort", default="cumulative", help="pstats order (e.g. tottime)")
    options = parser.parse_args()
    app = prepared_app(options.songs)
    client = signed_in(app)
    expected = {"404": 404}
    for name, path in PAGES.items():
        status = client.get(path).status_code
        if status != expected.get(name, 200):
            raise SystemExit(f"{path} answered {status}")
    samples = {name: [] for name in PAGES}
    rows = {name: [] for name in PAGES}
    for _ in range(options.pages):
        for name, path in PAGES.items():
            started = time.process_time()
            client.get(path)
            samples[name].append((time.process_time() - started) * 1000)
    timed_rows(app, spent := [])
    for _ in range(options.pages):
        for name, path in PAGES.items():
            spent.clear()
            client.get(path)
            rows[name].append(sum(spent) * 1000)
    floor = statistics.median(samples["404"])
    print(f"{options.songs} songs, {options.pages} rounds, median CPU ms a page:")
    for name, path in PAGES.items():
        ms = statistics.median(samples[name])
        calls = ", ".join(f"{n} {c}" for n, c in call_counts(client, path).items())
        in_rows = statistics.median(rows[name])
        print(
            f"  {path:16} {ms:6.2f} ms  (+{ms - floor:5.2f} over 404, rows {in_rows:5.2f})"
            f"  calls: {calls}"
        )
    if options.profile:
        profiler = cProfile.Profile()
        path = PAGES[options.profile]
        profiler.runcall(lambda: [client.get(path) for _ in range(options.pages)])
        pstats.Stats(profiler).sort_stats(options.sort).print_stats(40)


if __name__ == "__main__":
    main()
