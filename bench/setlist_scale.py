"""catalog_scale.py's setlist scenario: 10,000 people, 100,000 setlists, one of 5,000 entries.

prepare() adds a listener who signs in, then writes the people and setlists with bulk SQL
(app/demo/setlist_scale.py); report() measures, against the running server and as that
listener: the setlist list page, the long setlist's first and middle pages and the queue's
first page, interleaved with the song list page (target: within 1.5x of it); moving one entry
and adding 1,000 ticked songs in one request (timed over HTTP); and each one's SQL statements
counted in-process (setlist_statements.py), with entries.move and add_songs called directly.
A route that is not there answers 404: it is said so, and the direct call stands for it.
"""

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from harness import PROJECT

sys.path.insert(0, str(PROJECT))

from sqlalchemy import create_engine, select, text

from app.demo.setlist_scale import SetlistScale, write_setlists
from app.models import Song

LISTENER, LISTENER_PASSWORD = "bench-listener", "bench listener password long enough"
CSRF_META = b'<meta name="csrf-token" content="'
#: The setlist page's entries page argument, and entries a page (app/views/setlists).
PAGE_ARGUMENT, PER_PAGE = "entries_page", 25
TARGET = 1.5


@dataclass(frozen=True)
class Scenario:
    """What prepare() wrote, and the songs to add."""

    scale: SetlistScale
    seconds: float
    song_ids: list[int]

    @property
    def middle_entry(self) -> int:
        """The id of the long setlist's middle entry (ids were written in order)."""
        return self.scale.long_first_entry + self.scale.long_entries // 2


def prepare(env: dict, database_url: str, flask, options) -> Scenario:
    """Add the listener, then the people and setlists; fresh statistics afterwards."""
    flask(env, "fab", "create-user", "--role", "Listener", "--username", LISTENER,
          "--firstname", "L", "--lastname", "L", "--email", "listener@example.org",
          "--password", LISTENER_PASSWORD)  # fmt: skip
    started = time.perf_counter()
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        owner = connection.scalar(
            text("SELECT id FROM ab_user WHERE username = :u"), {"u": LISTENER}
        )
        role = connection.scalar(text("SELECT id FROM ab_role WHERE name = 'Listener'"))
        sizes = {"users": options.users, "setlists": options.setlists}
        scale = write_setlists(connection, owner, role, long_entries=options.long_setlist, **sizes)
        song_ids = list(connection.scalars(select(Song.id)))
    maintenance = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(maintenance))
    engine.dispose()
    picked = random.Random(5).sample(song_ids, min(1000, len(song_ids)))
    return Scenario(scale, time.perf_counter() - started, picked)


def pages(scenario: Scenario) -> list[tuple[str, str]]:
    """(name, path) of the pages compared with the song list page."""
    long_id, size = scenario.scale.long_setlist_id, f"{scenario.scale.long_entries:,}"
    middle = scenario.scale.long_entries // PER_PAGE // 2
    return [
        ("song list, page 1", "/songs/list/"),
        ("setlist list (mine)", "/setlists/list/"),
        ("setlist list (catalog)", "/setlists/list/?tab=catalog"),
        (f"setlist of {size}, page 1", f"/setlists/show/{long_id}"),
        (f"setlist of {size}, page {middle}", f"/setlists/show/{long_id}?{PAGE_ARGUMENT}={middle}"),
        ("queue, first page", f"/api/v1/playqueue/setlists/{long_id}"),
        ("home page (My setlists)", "/"),
    ]


def move_path(scenario: Scenario) -> str:
    """Where the middle entry of the long setlist is moved."""
    return f"/setlists/entries/{scenario.scale.long_setlist_id}/move/{scenario.middle_entry}"


BULK_PATH = "/setlists/adding/bulk"


def csrf_token(client) -> str:
    """The CSRF token of the home page's meta tag."""
    body = client.get("/")
    start = body.index(CSRF_META) + len(CSRF_META)
    return body[start : body.index(b'"', start)].decode()


def post(client, path: str, token: str, fields: dict | None = None, json_body=None):
    """(status, milliseconds) of a form post or a JSON post."""
    if json_body is not None:
        body = json.dumps(json_body).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   "X-CSRFToken": token}  # fmt: skip
    else:
        body = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
    started = time.perf_counter()
    status = client.request("POST", path, body, headers)[0]
    return status, (time.perf_counter() - started) * 1000


def p50_p90(values: list[float]) -> str:
    """ "p50 / p90 ms"."""
    ordered = sorted(values)
    p90 = ordered[min(int(0.9 * len(ordered)), len(ordered) - 1)]
    return f"{statistics.median(ordered):.1f} / {p90:.1f} ms"


def timed_pages(client, scenario: Scenario, rounds: int) -> dict[str, list[float] | None]:
    """Interleaved GETs of each page; None for a page that does not answer 200."""
    samples: dict[str, list[float] | None] = {}
    for name, path in pages(scenario):
        status = client.request("GET", path)[0]
        samples[name] = [] if status == 200 else None
        if status != 200:
            print(f"  {name}: {path} answered {status}: not measured over HTTP")
    for _ in range(3 + rounds):  # three warm-up rounds
        for name, path in pages(scenario):
            if samples[name] is not None:
                started = time.perf_counter()
                client.get(path)
                samples[name].append((time.perf_counter() - started) * 1000)
    return {name: (values[3:] if values is not None else None) for name, values in samples.items()}


def timed_writes(client, scenario: Scenario, rounds: int) -> dict[str, tuple[int, list[float]]]:
    """Moves of the middle entry (to place 10 and back) and bulk adds of 1,000 ticked songs
    to the listener's own setlists, over HTTP: {name: (last status, milliseconds)}."""
    token = csrf_token(client)
    moves = []
    for number in range(rounds):
        to = "10" if number % 2 == 0 else str(scenario.scale.long_entries // 2)
        status, ms = post(client, move_path(scenario), token, json_body={"to": to})
        moves.append(ms)
        if status != 200:
            return {"move one entry (HTTP)": (status, [])} | adds(client, scenario, token)
    return {"move one entry (HTTP)": (200, moves)} | adds(client, scenario, token)


def adds(client, scenario: Scenario, token: str) -> dict[str, tuple[int, list[float]]]:
    """Bulk adds of 1,000 ticked songs, each to another of the listener's setlists."""
    ids = ",".join(str(song_id) for song_id in scenario.song_ids)
    times, status = [], 0
    for setlist_id in scenario.scale.owner_setlist_ids[:5]:
        status, ms = post(client, BULK_PATH, token, {"ids": ids, "setlist": str(setlist_id)})
        if status not in (200, 302, 303):
            return {"add 1,000 ticked songs (HTTP)": (status, [])}
        times.append(ms)
    return {"add 1,000 ticked songs (HTTP)": (status, times)}


def statements(env: dict, scenario: Scenario) -> dict:
    """Each request's SQL statements, counted in-process; the domain calls too."""
    long_id, scale = scenario.scale.long_setlist_id, scenario.scale
    ids = ",".join(str(song_id) for song_id in scenario.song_ids)
    ten = ",".join(str(song_id) for song_id in scenario.song_ids[:10])
    add_to = scale.owner_setlist_ids[-1]
    requests = [[name, "GET", path, None] for name, path in pages(scenario)]
    requests += [
        ["move one entry", "POST", move_path(scenario), {"to": "20"}],
        ["add 1,000 ticked songs", "POST", BULK_PATH, {"form": {"ids": ids, "setlist": add_to}}],
        ["add 10 ticked songs", "POST", BULK_PATH, {"form": {"ids": ten, "setlist": add_to}}],
    ]
    domain = {"setlist_id": long_id, "entry_id": scenario.middle_entry,
              "add_to": scale.owner_setlist_ids[-2], "song_ids": scenario.song_ids}  # fmt: skip
    plan = {"username": LISTENER, "password": LISTENER_PASSWORD, "requests": requests,
            "domain": domain}  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(plan, file)
    counter = Path(__file__).with_name("setlist_statements.py")
    done = subprocess.run([sys.executable, str(counter), file.name], cwd=PROJECT, env=env,
                          capture_output=True, text=True)  # fmt: skip
    Path(file.name).unlink()
    if done.returncode:
        raise SystemExit(f"counting the setlists' statements failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(env: dict, client, scenario: Scenario, rounds: int) -> None:
    """Measure and print the setlist scenario (the server runs; `client` is signed in as
    the listener)."""
    scale = scenario.scale
    print(f"\nSetlists: {scale.users:,} people, {scale.setlists:,} setlists, "
          f"{scale.entries:,} entries, one of {scale.long_entries:,} (written in "
          f"{scenario.seconds:.1f} s); signed in as a listener")  # fmt: skip
    samples = timed_pages(client, scenario, rounds)
    counts = statements(env, scenario)
    base = statistics.median(samples["song list, page 1"])
    print(f"{'page':<30}{'p50 / p90':>20}{'ratio':>8}{'target':>9}{'SQL':>5}")
    for name, _path in pages(scenario):
        values, count = samples[name], counts[name]
        if values is None:
            print(f"{name:<30}{'(answered ' + str(count['status']) + ')':>20}")
            continue
        ratio = statistics.median(values) / base
        verdict = "—" if name.startswith("song list") else "met" if ratio <= TARGET else "MISSED"
        print(f"{name:<30}{p50_p90(values):>20}{ratio:>7.2f}×{verdict:>9}"
              f"{count['statements']:>5}")  # fmt: skip
    print(f"\n{'write':<34}{'p50 / p90':>20}{'SQL':>5}  status")
    for name, (status, values) in timed_writes(client, scenario, rounds).items():
        counted = counts.get(name.replace(" (HTTP)", ""), {})
        shown = p50_p90(values) if values else "(not measured)"
        print(f"{name:<34}{shown:>20}{counted.get('statements', '?'):>5}  {status}")
    for name, found in counts.items():
        if name.startswith("domain: "):
            print(f"{name:<34}{found['ms']:>17.1f} ms{found['statements']:>5}  (in-process)")
    for name in ("move one entry", "add 1,000 ticked songs", "add 10 ticked songs"):
        print(f"in-process {name}: status {counts[name]['status']}, "
              f"{counts[name]['statements']} statements, {counts[name]['ms']:.1f} ms")  # fmt: skip
