"""Screenshots of the main pages at a desktop and a phone size: `make screenshots`.

    .venv/bin/python -m tests.e2e.screenshots [FOLDER]      # default: screenshots/

Builds a throwaway app (SQLite, the demo catalog plus 300 generated songs, an admin and a
listener), serves it on loopback, and has Debian's Chromium save one PNG per page and size,
so a person can look at every page before calling a change to it done.
"""

import logging
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import select

from app.audio_analysis.waveform import waveform
from app.demo import seed_demo_catalog
from app.demo.scale import write_catalog
from app.extensions import db
from app.media.configured_stores import audio_store, song_stores
from app.models import Song
from tests.e2e.browsing import CHROMIUM, CHROMIUM_ARGS, log_in
from tests.support.apps import build_app
from tests.support.network import LiveServer

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
#: Pages also shot in the dark theme (the system's setting).
DARK_PAGES = [
    ("home", "/"),
    ("songs", "/songs/list/"),
    ("song", "/songs/show/1"),
    ("jobs", "/jobs/"),
    ("estimated", "/songs/list/?_flt_0_title=e"),
]
PASSWORD = "screenshots password long enough"
#: (file name, path) of the pages an admin sees.
ADMIN_PAGES = [
    ("home", "/"),
    ("songs", "/songs/list/"),
    ("song", "/songs/show/1"),
    ("song-edit", "/songs/edit/1"),
    ("song-add", "/songs/add"),
    ("upload", "/songs/upload"),
    ("bulk-move", "/songs/bulk/move_to_album?ids=1,2,3"),
    ("changes", "/changes/list/"),
    ("albums", "/albums/list/"),
    ("album", "/albums/show/1"),
    ("authors", "/authors/list/"),
    ("author", "/authors/show/1"),
    ("filtered", "/songs/list/?_flt_0_title=love&_flt_0_author=3"),
    # Past the (lowered) exact-count cap: "about", and the list's last page read from its end.
    ("estimated", "/songs/list/?_flt_0_title=e"),
    ("estimated-last", "/songs/list/?_flt_0_title=e&last_SongModelView=1"),
    ("search-results", "/search/results?q=love"),
    ("not-found", "/songs/show/999999"),
    ("jobs", "/jobs/"),
]
#: Pages of a listener (read-only role) and of an anonymous visitor.
LISTENER_PAGES = [
    ("listener-songs", "/songs/list/"),
    ("listener-forbidden", "/songs/add"),
    ("listener-music-apps", "/music-apps/"),
]
ANONYMOUS_PAGES = [("login", "/login/"), ("register", "/register/form")]


def screenshot_app(folder: Path):
    """A migrated app with the demo catalog, generated songs, an admin and a listener."""
    # Pictures of analysed songs: jobs run as songs are added (tests defer them).
    app = build_app(
        f"sqlite:///{folder / 'shots.db'}",
        folder / "uploads",
        CATALOG_JOBS_DEFER=False,
        CATALOG_LIST_EXACT_COUNT_CAP=100,  # 300 songs: a title filter shows an estimate
    )
    with app.app_context():
        seed_demo_catalog(db.session, song_stores())
        with db.engine.begin() as connection:
            write_catalog(connection, 300)
        draw_waveforms()
        sm = app.appbuilder.sm
        for username, role in (("admin", "Admin"), ("listener", "Listener")):
            sm.add_user(username, username, "Shots", f"{username}@example.org",
                        sm.find_role(role), PASSWORD)  # fmt: skip
    return app


def draw_waveforms() -> None:
    """The first album's songs get their waveforms (the player's seek bar), as analysed."""
    store = audio_store()
    for song in db.session.scalars(select(Song).where(Song.album_id == 1)):
        song.waveform = waveform(store.local_path(song.audio_file)).to_bytes()
    db.session.commit()


def shoot_player(page, url: str, folder: Path, user: str, size_name: str) -> None:
    """The player bar playing an album (its waveform as the seek bar), its sound panel, and
    the playing song's page with its waveform."""
    page.goto(f"{url}/albums/show/1")
    page.click("[data-play-all]")
    page.wait_for_timeout(1500)
    page.screenshot(path=folder / f"{user}-playing-{size_name}.png")
    page.click("[data-player=sound]")
    page.screenshot(path=folder / f"{user}-sound-{size_name}.png")
    page.click("[data-player=sound]")
    page.goto(f"{url}/songs/show/1")
    page.wait_for_timeout(1000)
    page.screenshot(path=folder / f"{user}-song-playing-{size_name}.png", full_page=True)


def shoot(browser, url: str, pages: list, folder: Path, user: str | None, dark=False) -> None:
    """Save each page at each size, logged in as `user` (None: anonymous)."""
    for size_name, (width, height) in SIZES.items():
        scheme = "dark" if dark else "light"
        page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
        size_name = f"{size_name}-dark" if dark else size_name
        if user:
            log_in(page, url, user, PASSWORD)
        for name, path in pages:
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=folder / f"{name}-{size_name}.png", full_page=True)
        if user and not dark:  # the search box's suggestions
            page.goto(f"{url}/songs/list/")
            if size_name == "phone":
                page.click(".navbar-toggle")
            page.fill("#navbar-search", "caf")
            page.wait_for_selector("#navbar-search-results:not([hidden])")
            page.screenshot(path=folder / f"{user}-searching-{size_name}.png")
        if user and not dark:  # the albums as a grid of covers
            page.goto(f"{url}/albums/list/")
            page.click("[data-layout=grid]")
            page.screenshot(path=folder / f"{user}-album-grid-{size_name}.png")
            page.click("[data-layout=table]")
        if user:  # the player bar, playing an album
            shoot_player(page, url, folder, user, size_name)
        page.close()


def main() -> None:
    """Build, serve, shoot, say where the pictures are."""
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    app = screenshot_app(Path(tempfile.mkdtemp(prefix="setlist-shots-")))
    with LiveServer(app) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        shoot(browser, server.url, ADMIN_PAGES, folder, "admin")
        shoot(browser, server.url, DARK_PAGES, folder, "admin", dark=True)
        shoot(browser, server.url, LISTENER_PAGES, folder, "listener")
        shoot(browser, server.url, ANONYMOUS_PAGES, folder, None)
        browser.close()
    print(f"Screenshots in {folder}")


if __name__ == "__main__":
    main()
