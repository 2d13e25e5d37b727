"""The navbar's search box in a real Chromium: as-you-type results, keys, the results page."""

import pytest

from app.extensions import db
from app.models import Song

pytestmark = pytest.mark.browser


@pytest.fixture
def cafe_song(app, song) -> int:
    """The fixture song, renamed with an accent the search must see through."""
    with app.app_context():
        db.session.get(Song, song.id).title = "Café Nocturne"
        db.session.commit()
    return song.id


def test_typing_cafe_finds_cafe_and_enter_opens_the_song(browse_as, cafe_song):
    """Lower case, no accent: the song is suggested; Down then Enter opens it."""
    page, url = browse_as("Listener")
    page.goto(f"{url}/albums/list/")
    page.keyboard.press("/")  # jump to the search box from anywhere
    page.keyboard.type("cafe")
    suggestion = page.locator("#navbar-search-results [role=option]", has_text="Café Nocturne")
    suggestion.wait_for()
    assert "Oscillator — Test Tones" in suggestion.inner_text()
    page.keyboard.press("ArrowDown")
    assert page.locator("#navbar-search").get_attribute("aria-activedescendant")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/songs/show/{cafe_song}")


def test_enter_without_a_choice_opens_every_result(browse_as, cafe_song):
    """Enter in the box (nothing highlighted) opens the results page, grouped by kind."""
    page, url = browse_as("Listener")
    page.fill("#navbar-search", "osc")
    page.press("#navbar-search", "Enter")
    page.wait_for_url(f"{url}/search/results?q=osc")
    assert page.get_by_role("heading", name="Authors").is_visible()
    assert page.get_by_role("link", name="Oscillator").is_visible()
