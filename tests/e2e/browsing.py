"""What the browser tests share: Debian's Chromium and the steps people take on every page."""

import os
import time
from pathlib import Path

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


def log_in(page, server_url: str, username: str, password: str) -> None:
    """Log in through the login form and land on the home page."""
    page.goto(f"{server_url}/login/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{server_url}/")


def choose_in_picker(page, select: str, typed: str, choice: str) -> None:
    """Open a searchable picker, type part of a name, click the suggestion offered."""
    page.click(f"{select} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", typed)
    page.click(f".select2-results__option:has-text('{choice}')")
    chosen = page.locator(f"{select} + .select2 .select2-selection__rendered").inner_text()
    assert choice in chosen


def wait_until(element, condition: str, seconds: float = 15) -> None:
    """Poll a condition on an element (page.wait_for_function evaluates strings: CSP forbids)."""
    deadline = time.monotonic() + seconds
    while not element.evaluate(condition):
        assert time.monotonic() < deadline, f"never true: {condition}"
        time.sleep(0.05)


def shots_folder(tmp_path: Path) -> Path:
    """Where screenshots go: $SCREENSHOTS_DIR, else the test's own folder."""
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
