"""The fault drill's parts: a PostgreSQL, a Redis and app servers of its own that it can stop
and start again, and clients that record every request they make."""

import contextlib
import functools
import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from harness import PROJECT, Gunicorn, SessionClient, free_port
from load import ADMIN, MIX, PASSWORD, Load, unique_wav
from mutagen.id3 import ID3, TXXX

#: Where Debian keeps PostgreSQL 15's programs (initdb, pg_ctl).
PG_BIN = Path(os.environ.get("DRILL_PG_BIN", "/usr/lib/postgresql/15/bin"))
MP3 = PROJECT / "tests" / "fixtures" / "audio" / "untagged-tone.mp3"
NUMBER = re.compile(r"/\d+")
TITLE = re.compile(rb"<title>\s*([^<]{1,80}?)\s*</title>", re.IGNORECASE)
MESSAGE = re.compile(rb'"message":\s*"([^"]{1,80})')


def wait_until(check, timeout: float, what: str) -> None:
    """Call `check` until it returns without raising; give up after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not come up in {timeout:.0f} s") from None
            time.sleep(0.2)


class OwnPostgres:
    """A PostgreSQL cluster of the drill's own (initdb in a temporary folder, trust
    authentication, a free loopback port), so restarting it disturbs nobody else."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="setlist-drill-pg-"))
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/setlist_drill"
        # PostgreSQL refuses to run as root: then its programs run as the postgres user.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(self.folder, "postgres", "postgres")
        self.run("initdb", "-D", str(self.folder / "data"), "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip

    def run(self, program: str, *args: str) -> None:
        """Run one of PostgreSQL's programs; its output is shown only if it fails."""
        done = subprocess.run([*self.as_owner, str(PG_BIN / program), *args],
                              capture_output=True, text=True)  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"{program} failed:\n{done.stdout}{done.stderr}")

    def pg_ctl(self, *args: str) -> None:
        """pg_ctl on this cluster, waiting until the action is done."""
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        self.run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "log"),
                 "-o", options, "-w", *args)  # fmt: skip

    def start(self) -> None:
        """Start the cluster."""
        self.pg_ctl("start")

    def restart(self) -> None:
        """Restart it as an operator would for a new setting: every connection is cut."""
        self.pg_ctl("restart", "-m", "fast")

    def remove(self) -> None:
        """Stop the cluster (if it runs) and delete its folder."""
        with contextlib.suppress(RuntimeError):
            self.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class OwnRedis:
    """redis-server on a free loopback port, nothing saved to disk; can go down and up."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start it and wait until it answers PING."""
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", str(self.folder)]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_until(self.ping, 30, "Redis")

    def ping(self) -> None:
        """Raise unless Redis answers PING."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            if not connection.recv(64).startswith(b"+PONG"):
                raise RuntimeError("no PONG")

    def stop(self) -> None:
        """Stop it (its counts are lost, as after a crash without persistence)."""
        self.process.terminate()
        self.process.wait(timeout=30)


class AppServer:
    """harness's gunicorn app server (production settings) on a port it keeps, restarted on
    that port `restart_after` seconds after it is killed, as a supervisor would: the drill's
    stand-in when bench/units.py (deploy/setlist@.service) is not there."""

    def __init__(self, env: dict, restart_after: float) -> None:
        self.env, self.restart_after = env, restart_after
        self.gunicorn = Gunicorn(env, PROJECT, ready_path="/health/live")
        self.port, self.url = self.gunicorn.port, self.gunicorn.url
        self.starts = [time.monotonic()]  # when each start was ready
        self.logs: list[str] = []

    def kill(self) -> float:
        """kill -9 the master and its workers (the whole process group); when it happened."""
        self.gunicorn.kill()
        killed = time.monotonic()
        self.logs.append(self.gunicorn.output())
        threading.Thread(target=self.restart, daemon=True).start()
        return killed

    def restart(self) -> None:
        """Start it again after the pause; Gunicorn takes a free port of its own, the second
        --bind keeps the one the clients know."""
        time.sleep(self.restart_after)
        bind = ["--bind", f"127.0.0.1:{self.port}"]
        self.gunicorn = Gunicorn(self.env, PROJECT, *bind, ready_path="/health/live")
        self.starts.append(time.monotonic())

    def stop(self) -> None:
        """Stop it gracefully."""
        self.gunicorn.stop()

    def journal(self) -> str:
        """Everything it logged, over all its lives."""
        return "".join([*self.logs, self.gunicorn.output()])


@dataclass(frozen=True)
class Outcome:
    """One request as its client saw it (monotonic times, status None if no answer came)."""

    started: float
    ended: float
    route: str
    status: int | None
    ok: bool
    error: str = ""
    request_id: bool = False
    said: str = ""  # a failure's page title or JSON message, or where it redirected


def route_of(method: str, path: str) -> str:
    """'GET /songs/show/<id>' for GET /songs/show/12?x=1."""
    return f"{method} {NUMBER.sub('/<id>', path.split('?', 1)[0])}"


def what_it_said(data: bytes) -> str:
    """The title of an error page, or the message of a JSON error (the start of it)."""
    found = TITLE.search(data) or MESSAGE.search(data)
    return found.group(1).decode(errors="replace") if found else data[:40].decode(errors="replace")


def succeeded(method: str, path: str, status: int, location: str) -> bool:
    """Whether the user got what they asked for (an upload or login goes where it should)."""
    if method == "GET":
        return 200 <= status < 300
    if path.startswith("/songs/add"):
        return status == 302 and "/songs/show/" in location
    if path.startswith("/login"):
        return status == 302 and "/login" not in location
    return status < 400


class Recorder:
    """Every request of every client, in the order they ended."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []
        self.lock = threading.Lock()

    def add(self, outcome: Outcome) -> None:
        """Keep one outcome."""
        with self.lock:
            self.outcomes.append(outcome)

    def between(self, start: float, end: float) -> list[Outcome]:
        """The requests that ended in [start, end): one in flight when a fault began counts
        in the fault's phase."""
        with self.lock:
            return [o for o in self.outcomes if start <= o.ended < end]


class Recording:
    """Mixed into a SessionClient (or the front's HttpsClient): tells a Recorder what came of
    each request."""

    def __init__(self, base: str, cookies: dict | None, recorder: Recorder) -> None:
        super().__init__(base, cookies)
        self.recorder = recorder

    def copy(self):
        """A client with the same session and recorder, for another thread."""
        return type(self)(self.base, self.cookies, self.recorder)

    def request(self, method: str, path: str, body=None, headers=None):
        """(status, headers, body) of one request, recorded; no answer is recorded and raised."""
        started, route = time.monotonic(), route_of(method, path)
        try:
            status, answer, data = super().request(method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            self.recorder.add(Outcome(started, time.monotonic(), route, None, False,
                                      type(error).__name__))  # fmt: skip
            raise
        location = answer.get("Location", "")
        ok = succeeded(method, path, status, location)
        said = "" if ok else what_it_said(data) if status >= 400 else f"→ {urlsplit(location).path}"
        self.recorder.add(Outcome(started, time.monotonic(), route, status, ok,
                                  request_id="X-Request-ID" in answer, said=said))  # fmt: skip
        return status, answer, data


@functools.cache
def recording(client_class: type) -> type:
    """client_class with Recording mixed in."""
    return type(f"Recording{client_class.__name__}", (Recording, client_class), {})


class DrillLoad(Load):
    """bench/load.py's clients, recorded, with MP3 as well as WAV uploads and a few logins
    (a login touches the database and Redis)."""

    mix = [*MIX, ("login", 3)]

    def __init__(self, servers: list[str], admin: SessionClient, folder: Path,
                 song_ids: list[int], recorder: Recorder) -> None:  # fmt: skip
        super().__init__(servers, admin.cookies, folder, song_ids)
        self.recorder, self.client_class = recorder, recording(type(admin))

    def session(self, turn: int) -> SessionClient:
        """The client for one request (HTTP, or HTTPS to the front), recording."""
        base = self.servers[turn % len(self.servers)]
        return self.client_class(base, self.cookies, self.recorder)

    def source(self, number: int) -> Path:
        """A WAV of noise or, as often, an MP3 with a tag of its own."""
        name = f"upload-{number}-{secrets.token_hex(4)}"
        if secrets.randbelow(2):
            return unique_wav(self.folder / f"{name}.wav")
        path = shutil.copy(MP3, self.folder / f"{name}.mp3")
        tags = ID3()
        tags.add(TXXX(encoding=3, desc="drill", text=[secrets.token_hex(16)]))
        tags.save(path)
        return Path(path)

    def act(self, session, kind: str, chooser, number: int) -> None:
        """One request of the mix; a login is a new visitor's whole sign-in."""
        if kind == "login":
            self.client_class(session.base, None, self.recorder).log_in(ADMIN, PASSWORD)
        else:
            super().act(session, kind, chooser, number)
