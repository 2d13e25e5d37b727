"""Production as README describes it: gunicorn, PostgreSQL, Redis and an S3-compatible store
(SeaweedFS), with two app servers sharing one catalog. Real processes on loopback ports."""

import json
import os
import re
import secrets
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from app.models import Song
from bench.harness import PROJECT, Gunicorn, SessionClient, multipart, write_wav
from tests.support.apps import FIXTURES
from tests.support.databases import postgres_url, redis_url, scratch_postgres

ADMIN, PASSWORD = "operator", "a long production password"
README = (PROJECT / "README.md").read_text()
FIXTURE = FIXTURES / "audio" / "morning-light.mp3"


def production_recipe() -> str:
    """README's Production section."""
    return README.split("### Production", 1)[1].split("\n## ", 1)[0]


def flask(env: dict, *args: str) -> None:
    """Run a `flask` command as an operator would; fail with its output."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", *args], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def production_settings(database: int, upload_folder: Path) -> dict:
    """What README's recipe sets for every server: production on a fresh PostgreSQL scratch
    database (numbered), Redis under a key prefix of its own, local files in a folder."""
    return {
        **os.environ,
        "CATALOG_CONFIG": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "CATALOG_APP_PASSWORD_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": scratch_postgres(postgres_url(), number=database),
        "RATELIMIT_STORAGE_URI": redis_url(),
        "RATELIMIT_KEY_PREFIX": f"setlist-test-{secrets.token_hex(6)}",
        "CATALOG_EXTERNAL_URL": "https://setlist.example.org",
        "CATALOG_REGISTRATION": "false",
        "FAB_UPDATE_PERMS": "false",
        "UPLOAD_FOLDER": str(upload_folder),
    }


def set_up_as_readme_says(env: dict) -> None:
    """Migrate, sync roles and make an admin with the commands README gives."""
    flask(env, "db", "upgrade")
    flask(env, "catalog", "sync-roles")
    flask(env, "fab", "create-admin", "--username", ADMIN, "--firstname", "Op", "--lastname",
          "Erator", "--email", "op@example.org", "--password", PASSWORD)  # fmt: skip


@pytest.fixture
def production_env(object_store, s3_settings, tmp_path) -> dict:
    """Every setting README's recipe sets, on a fresh database, the test's bucket prefix and
    Redis; migrated, roles synced and an admin made with the commands README gives."""
    env = {
        # Where files would land if anything wrote to local disk: it must stay empty.
        **production_settings(7, tmp_path / "local-disk"),
        **object_store.environment(),
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": s3_settings["S3_BUCKET"],
        "S3_PREFIX": s3_settings["S3_PREFIX"],
        "S3_ENDPOINT_URL": s3_settings["S3_ENDPOINT_URL"],
        "CATALOG_REQUIRE_SHARED_STORAGE": "true",
        "WEB_CONCURRENCY": "2",
        "LOG_FORMAT": "json",
        "AUTH_RATE_LIMIT": "6 per minute",
    }
    set_up_as_readme_says(env)
    return env


@pytest.fixture
def app_servers(production_env):
    """Start gunicorn instances of the production configuration: app_servers(2)."""
    started = []

    def start(count: int) -> list[Gunicorn]:
        for _ in range(count):
            started.append(Gunicorn(production_env, PROJECT, ready_path="/health/live"))
        return started[-count:]

    yield start
    for server in started:
        server.stop()


def request_lines(server: Gunicorn) -> list[dict]:
    """The JSON request lines a server logged."""
    lines = (json.loads(line) for line in server.output().splitlines() if line.startswith("{"))
    return [line for line in lines if line["logger"] == "app.requests"]


def test_readme_recipe_serves_production_with_gunicorn(production_env, app_servers):
    """The commands README gives start a working site: ready, log in, browse, logged."""
    recipe = production_recipe()
    for command in ("flask db upgrade", "flask catalog sync-roles", "flask fab create-admin"):
        assert command in recipe
    assert re.search(r"^gunicorn$", recipe, re.MULTILINE)
    [server] = app_servers(1)
    ready = json.loads(SessionClient(server.url).get("/health/ready"))
    assert ready["status"] == "ready"
    assert {name: check["status"] for name, check in ready["checks"].items()} == {
        "database": "ok",
        "rate_limits": "ok",
        "storage": "ok",
    }
    admin = SessionClient(server.url)
    admin.log_in(ADMIN, PASSWORD)
    assert b"Songs" in admin.get("/songs/list/")
    [line] = [line for line in request_lines(server) if line["path"] == "/songs/list/"]
    assert line["status"] == 200
    assert line["user_id"] is not None
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])


def test_two_app_servers_share_one_catalog(production_env, app_servers, bucket, tmp_path):
    """Upload on A, stream on B with ranges; edit on B, see it on A; one session and one
    login limit for both; delete on B removes the object; nothing on either's disk."""
    a, b = app_servers(2)
    on_a = SessionClient(a.url)
    on_a.log_in(ADMIN, PASSWORD)
    status, headers, _ = on_a.upload("/songs/add", {"album": ""}, "audio_file", FIXTURE)
    assert status == 302, on_a.get("/songs/list/")[:300]
    song_id = int(headers["Location"].rstrip("/").rsplit("/", 1)[1])
    [song_key] = [key for key in bucket.listing() if "/" not in key]

    # The same session cookie works on B: sessions live in the shared database.
    on_b = SessionClient(b.url, on_a.cookies)
    content = FIXTURE.read_bytes()
    status, headers, part = on_b.request(
        "GET", f"/songs/stream/{song_id}", headers={"Range": "bytes=1000-1999"}
    )
    assert (status, part) == (206, content[1000:2000])
    assert headers["Content-Range"] == f"bytes 1000-1999/{len(content)}"

    engine = create_engine(production_env["DATABASE_URL"])
    with engine.connect() as connection:
        album_id = connection.scalar(select(Song.album_id).where(Song.id == song_id))
    fields = {"title": "Edited on B", "album": str(album_id)}
    status, _headers, _body = on_b.submit(f"/songs/edit/{song_id}", fields)
    assert status == 302
    assert b"Edited on B" in on_a.get(f"/songs/show/{song_id}")

    status, _headers, _body = on_b.submit("/songs/list/", {}, f"/songs/delete/{song_id}")
    assert status == 302
    assert song_key not in bucket.listing()
    assert on_a.request("GET", f"/songs/show/{song_id}")[0] == 404
    assert list(Path(production_env["UPLOAD_FOLDER"]).rglob("*")) == []
    engine.dispose()


def test_the_login_limit_counts_across_app_servers(production_env, app_servers):
    """Wrong passwords sent to A and B in turn meet one limit (AUTH_RATE_LIMIT, 6 a minute)."""
    servers = app_servers(2)
    answers = []
    for attempt in range(8):
        client = SessionClient(servers[attempt % 2].url)
        token = client.token("/login/")
        body = f"csrf_token={token}&username=nobody&password=wrong{attempt}".encode()
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        answers.append(client.request("POST", "/login/", body, form)[0])
    assert answers[:6] == [302] * 6
    assert answers[6:] == [429, 429]


class HeldBack:
    """A request body that stops after `after` bytes until released: the server is then
    certainly in the middle of reading the upload."""

    def __init__(self, body, after: int) -> None:
        self.body, self.after, self.sent = body, after, 0
        self.reached, self.release = threading.Event(), threading.Event()

    def __len__(self) -> int:
        return len(self.body)

    def read(self, size: int = 65536) -> bytes:
        """The next piece, once the hold (if any) is released."""
        if self.sent >= self.after:
            self.reached.set()
            self.release.wait(60)
        data = self.body.read(size)
        self.sent += len(data)
        return data


def test_killing_a_server_mid_upload_leaves_no_song_without_its_file(
    production_env, app_servers, bucket, tmp_path
):
    """kill -9 while a large upload streams in: no row is made; the other server goes on;
    every song row still has its object."""
    doomed, survivor = app_servers(2)
    uploader = SessionClient(doomed.url)
    uploader.log_in(ADMIN, PASSWORD)
    fields = {"csrf_token": uploader.token("/songs/add"), "album": ""}
    body, content_type = multipart(fields, "audio_file", write_wav(tmp_path / "big.wav", 40))
    halfway = HeldBack(body, after=8 * 1024 * 1024)
    failures = []

    def upload() -> None:
        headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
        try:
            uploader.request("POST", "/songs/add", halfway, headers)
        except OSError as error:  # the connection dies with the server
            failures.append(error)

    sending = threading.Thread(target=upload)
    sending.start()
    assert halfway.reached.wait(30)
    doomed.kill()
    halfway.release.set()
    sending.join(timeout=60)
    assert failures
    engine = create_engine(production_env["DATABASE_URL"])
    with engine.connect() as connection:
        stored = set(connection.scalars(text("SELECT audio_file FROM song")))
    engine.dispose()
    assert stored <= set(bucket.listing())
    other = SessionClient(survivor.url)
    other.log_in(ADMIN, PASSWORD)
    assert other.request("GET", "/songs/list/")[0] == 200
