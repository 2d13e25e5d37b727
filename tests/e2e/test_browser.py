"""A real Chromium: an admin logs in, uploads a song, sees it listed, downloads it."""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
# Without these, Chromium reaches for Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_server(app) -> str:
    """The app served by a real threaded WSGI server on a loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def chromium(require_part):
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    require_part(CHROMIUM.exists(), f"{CHROMIUM} is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def test_admin_uploads_lists_and_downloads_a_song(
    live_server, chromium, users, password, audio_dir, song, tmp_path
):
    """The whole journey a catalog admin makes, through the real pages."""
    page = chromium.new_page(accept_downloads=True)
    page.goto(f"{live_server}/login/")
    page.fill("#username", users["Admin"])
    page.fill("#password", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_text("Catalog").first.is_visible()

    page.goto(f"{live_server}/songs/list/")
    page.click("a[href='/songs/add']")
    page.fill("#title", "Morning Light")
    page.select_option("#album", value=str(song.album_id), force=True)
    page.fill("#rating", "4")
    page.set_input_files("#audio_file", str(audio_dir / "morning-light.mp3"))
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server}/songs/list/**")
    assert page.get_by_text("Added Row").is_visible()

    row = page.locator("tr", has_text="Morning Light")
    assert row.count() == 1
    assert "morning-light.mp3" in row.inner_text()
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == "morning-light.mp3"
    saved = tmp_path / "downloaded.mp3"
    download.save_as(saved)
    assert saved.read_bytes() == (audio_dir / "morning-light.mp3").read_bytes()
