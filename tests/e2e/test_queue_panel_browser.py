"""The queue panel and row buttons in a real Chromium: add, play next, reorder, remove, fit."""

from pathlib import Path

import pytest

from app.extensions import db
from app.models import Song
from tests.e2e.browsing import wait_until
from tests.e2e.queueing import AUDIO, SHOTS, place, playing

pytestmark = pytest.mark.browser


def test_rows_add_to_the_queue_and_the_panel_edits_it_by_keyboard(browse_as, make_album):
    """Play, Add to queue, Play next; the panel moves, removes and clears with the keyboard."""
    _album_id, ids = make_album(
        "Keys", [("Key one", 1, 30), ("Key two", 2, 30), ("Key three", 3, 30)]
    )
    page, url = browse_as("Listener")
    page.goto(f"{url}/songs/list/?_oc_SongModelView=track_number&_od_SongModelView=asc")
    page.click(f".play-button[data-song='{ids[0]}']")
    player = page.locator(AUDIO)
    wait_until(player, playing(ids[0]))
    page.get_by_role("button", name="Play next: Key three").click()
    page.get_by_role("button", name="Add to queue: Key one").click()
    assert "Key one" in page.locator("[data-player=status]").inner_text()
    page.locator("[data-player=queue]").click()
    titles = page.locator(".queue-item .queue-song-title")
    assert titles.all_inner_texts() == ["Key one", "Key three", "Key two", "Key three", "Key one"]
    assert page.locator(".queue-item.current .queue-song-title").inner_text() == "Key one"
    page.get_by_role("button", name="Move down: Key three").first.focus()
    page.keyboard.press("Enter")
    assert titles.all_inner_texts() == ["Key one", "Key two", "Key three", "Key three", "Key one"]
    assert (
        page.evaluate("document.activeElement.getAttribute('aria-label')") == "Move down: Key three"
    )
    page.keyboard.press("Tab")  # to Remove
    page.keyboard.press("Enter")
    assert titles.all_inner_texts() == ["Key one", "Key two", "Key three", "Key one"]
    page.goto(f"{url}/authors/list/")  # the edits outlive the page
    page.locator("[data-player=queue]").click()
    assert titles.all_inner_texts() == ["Key one", "Key two", "Key three", "Key one"]
    page.get_by_role("button", name="Clear").click()
    assert page.locator("#player-bar").is_hidden()
    assert place(page)[1] is True


def test_a_home_page_row_queues_its_own_list_only(app, browse_as, make_album):
    """The home page's "Recently added" and "Top rated" are two lists, not one queue."""
    _album_id, ids = make_album("Home", [("Home one", 1, 30), ("Home two", 2, 30)])
    with app.app_context():
        for song_id in ids:
            db.session.get(Song, song_id).rating = 5
        db.session.commit()
    page, url = browse_as("Listener")
    page.goto(f"{url}/")
    newest = page.locator("section").filter(has_text="Recently added")
    rows = newest.locator(".play-button").count()
    newest.locator(".play-button").first.click()
    wait_until(page.locator(AUDIO), "a => !a.paused")
    assert page.locator(".home-play .play-button").count() == 2 * len(ids)  # both lists
    assert rows == len(ids)
    assert page.locator("[data-player=count]").inner_text() == str(rows)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_queue_panel_fits_the_screen(browse_as, tmp_path, scheme, size, make_album):
    """The open panel lies within the screen above the bar, its buttons reachable; shot."""
    album_id, _ids = make_album("Panel", [(f"Panel song {n}", n, 30) for n in range(1, 13)])
    width, height = size
    page, url = browse_as(
        "Listener", viewport={"width": width, "height": height}, color_scheme=scheme
    )
    page.goto(f"{url}/albums/show/{album_id}")
    page.get_by_role("button", name="Play album").click()
    wait_until(page.locator(AUDIO), "a => !a.paused")
    page.locator("[data-player=queue]").click()
    panel = page.locator("#queue-panel").bounding_box()
    bar = page.locator("#player-bar").bounding_box()
    assert panel["x"] >= 0
    assert panel["x"] + panel["width"] <= width
    assert panel["y"] >= 0
    assert panel["y"] + panel["height"] <= bar["y"] + 1
    remove = page.get_by_role("button", name="Remove from queue: Panel song 2")
    assert remove.is_visible()
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    name = f"queue-panel-{'desktop' if width > 800 else 'phone'}-{scheme}.png"
    page.screenshot(path=folder / name)
