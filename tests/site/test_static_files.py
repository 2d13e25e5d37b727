"""Static files: content-hashed addresses cached for a year, one log line per page, a favicon."""

import logging
import re
import shutil
from pathlib import Path

import pytest
from flask import url_for

from app.static_files import IMMUTABLE, REVALIDATE

STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def static_links(page: str) -> list[str]:
    """The static files a page asks for, with their query strings."""
    return [link.replace("&amp;", "&") for link in STATIC_LINK.findall(page)]


@pytest.fixture
def own_static_app(standalone_app, tmp_path):
    """A separate app whose static folder is a copy in tmp_path (its files can change)."""
    app = standalone_app()
    folder = tmp_path / "static"
    shutil.copytree(Path(app.static_folder), folder)
    app.static_folder = str(folder)
    return app


def address(app, filename: str) -> str:
    """The address url_for gives a file of the app's static folder."""
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_an_address_follows_its_files_content(own_static_app):
    """A changed file gets a new address; the current one is cached for a year, the old one
    and a made-up one must revalidate (and are still answered, never a 500)."""
    app, client = own_static_app, own_static_app.test_client()
    css = Path(app.static_folder) / "css" / "setlist.css"
    first = address(app, "css/setlist.css")
    assert re.fullmatch(r"/static/css/setlist\.css\?v=[0-9a-f]{12}", first)
    assert address(app, "css/setlist.css") == first  # the same content, the same address
    served = client.get(first)
    assert served.status_code == 200
    assert served.headers["Cache-Control"] == IMMUTABLE
    assert served.headers["ETag"]
    # Still served with the security headers (app.headers), and no page policy for a file.
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in served.headers

    css.write_text(css.read_text() + "\n.changed { color: red; }\n")
    second = address(app, "css/setlist.css")
    assert second != first
    assert client.get(second).headers["Cache-Control"] == IMMUTABLE
    assert b".changed" in client.get(second).data
    for stale in (first, "/static/css/setlist.css?v=0123456789ab", "/static/css/setlist.css",
                  "/static/css/setlist.css?v=../../%ff<>&v=x"):  # fmt: skip
        response = client.get(stale)
        assert response.status_code == 200, stale
        assert response.headers["Cache-Control"] == REVALIDATE, stale
    # Control characters in any address are refused before anything else (app.request_checks).
    assert client.get("/static/css/setlist.css?v=%00").status_code == 400
    etag = client.get("/static/css/setlist.css").headers["ETag"]
    again = client.get("/static/css/setlist.css", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_every_file_a_page_names_is_hashed_and_cached(browser):
    """Each stylesheet, script and icon of a page (ours and FAB's) comes with its hash and
    is answered with the year-long header; a missing file is a plain 404."""
    links = static_links(browser.get("/login/").get_data(as_text=True))
    assert any(link.startswith("/static/appbuilder/") for link in links)
    assert any(link.startswith("/static/css/") for link in links)
    assert any("favicon.svg" in link for link in links)
    for link in links:
        assert "?v=" in link, link
        response = browser.get(link)
        assert response.status_code == 200, link
        assert response.headers["Cache-Control"] == IMMUTABLE, link
    assert browser.get("/static/no-such-file.css?v=abc").status_code == 404


def test_one_page_view_is_one_log_line(login_as, song, caplog):
    """A page and the twenty-odd files it loads log one line at INFO, the page's own."""
    listener = login_as("Listener")
    caplog.set_level(logging.INFO, logger="app.requests")
    page = listener.get("/songs/list/")
    files = static_links(page.get_data(as_text=True))
    assert len(files) > 20
    assert all(listener.get(link).status_code == 200 for link in files)
    assert listener.get("/favicon.ico").status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "app.requests"]
    assert len(lines) == 1, lines
    assert lines[0].startswith("GET /songs/list/ 200")


def test_the_favicon_answers_where_browsers_look(browser):
    """/favicon.ico is an icon (no 404 on pages that name none); pages name the SVG one."""
    icon = browser.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's signature
    page = browser.get("/login/").get_data(as_text=True)
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg\?v=[0-9a-f]{12}"', page)
    svg = browser.get("/static/favicon.svg")
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
