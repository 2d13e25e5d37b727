"""Signing in and rating in bulk in a real Chromium: a deep link through two failed logins
to the page it named, and the "Set rating" choice from the list's action menu."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Song
from tests.editing.test_bulk_actions import make_catalog

pytestmark = pytest.mark.browser
INVALID = "Invalid login. Please try again. Just registered? Open the link in your email first."


def test_a_deep_link_survives_failed_logins(app, live_server, chromium, users, password, song):
    """A visitor opens a song's page: a plain "Log in to see this"; two wrong passwords keep
    the name typed and move the cursor to the password; the right one opens the song."""
    if app.config["CATALOG_PUBLIC_BROWSE"]:
        pytest.skip("record pages are public in this configuration")
    url = live_server(app).url
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{url}/songs/show/{song.id}")
    info = page.locator(".alert-info")
    info.get_by_text("Log in to see this.").wait_for()
    assert page.locator(".alert-danger").count() == 0
    assert page.get_by_role("link", name="Register").is_visible()
    page.fill("#username", users["Listener"])
    for guess in ("wrong guess one", "wrong guess two"):
        page.fill("#password", guess)
        page.click("input[type=submit]")
        page.locator(".alert-warning").get_by_text(INVALID).wait_for()
        assert page.input_value("#username") == users["Listener"]
        assert page.evaluate("document.activeElement.id") == "password"
        assert page.locator(".alert-info").count() == 0
    page.fill("#password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{url}/songs/show/{song.id}")
    assert song.title in page.locator("body").inner_text()


def test_an_editor_rates_ticked_songs_with_stars(app, browse_as, upload_folder):
    """The action opens a choice of stars; sending nothing is refused beside the choices;
    four stars, then "No rating", each say what they did."""
    ids = make_catalog(app, upload_folder)
    page, url = browse_as("Editor")
    page.goto(f"{url}/songs/list/")
    for title in ("One", "Two"):
        page.locator("tr", has_text=title).locator("input[type=checkbox]").check()
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Set rating").click()
    page.get_by_text("2 selected:").wait_for()
    assert page.locator("input[type=text][name=value]").count() == 0
    page.get_by_role("button", name="Apply to all").click()
    page.get_by_text("Choose a rating, or “No rating” to clear it.").wait_for()
    page.get_by_label("4 stars").check()
    page.get_by_role("button", name="Apply to all").click()
    page.get_by_text("2 songs now rated 4 stars.").wait_for()
    with app.app_context():
        ratings = dict(db.session.execute(select(Song.title, Song.rating)).all())
    assert ratings == {"One": 4, "Two": 4, "Three": None}
    page.goto(f"{url}/songs/bulk/set_rating?ids={ids['One']}")
    page.get_by_label("No rating (clear it)").check()
    page.get_by_role("button", name="Apply to all").click()
    page.get_by_text("Rating cleared on 1 song.").wait_for()
    with app.app_context():
        assert db.session.get(Song, ids["One"]).rating is None
