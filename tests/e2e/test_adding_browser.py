"""Building a setlist in a real Chromium, on a desktop and on a phone: from a song row's
"Add to setlist" (a new setlist named in the picker, then the same one chosen), from the
songs list's bulk action, from an album page and the player bar; then open it. The picker
is worked by keyboard too, and shot in light and dark."""

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Setlist, SetlistEntry
from tests.e2e.browsing import wait_until

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
PICKER = "[role=dialog].setlist-picker"
#: Where the picker's screenshots go (a temporary folder otherwise).
SHOTS = os.environ.get("ADDING_SHOTS")


def entries_of(app, name: str) -> list[str]:
    """The song titles of my setlist called `name`, in order."""
    with app.app_context():
        return list(
            db.session.scalars(
                select(SetlistEntry.song_id)
                .join(Setlist)
                .where(Setlist.name == name)
                .order_by(SetlistEntry.position, SetlistEntry.id)
            )
        )


@pytest.mark.parametrize("size", sorted(SIZES))
def test_build_a_setlist_from_rows_and_a_bulk_action_then_open_it(
    app, browse_as, make_album, tmp_path, size
):
    """Row → New setlist…; row → choose it; tick two rows → bulk action; open the setlist."""
    _album, ids = make_album("Roads", [(f"Road song {n}", n, 5) for n in range(1, 6)])
    page, url = browse_as("Listener", viewport=SIZES[size])
    page.goto(f"{url}/songs/list/")

    page.get_by_role("button", name="Add to setlist: Road song 3").click()
    picker = page.locator(PICKER)
    picker.wait_for()
    assert page.evaluate("document.activeElement.id") == "setlist-picker-q"
    picker.get_by_text("You have no setlists yet: name a new one.").wait_for()
    picker.get_by_role("button", name="New setlist…").click()
    picker.get_by_label("Name of the new setlist").fill("Road trip")
    picker.get_by_role("button", name="Create and add").click()
    toast = page.locator(".setlist-toast")
    toast.get_by_text("Added “Road song 3” to “Road trip”.").wait_for()
    assert picker.is_hidden()

    page.get_by_role("button", name="Add to setlist: Road song 1").click()
    picker.get_by_role("button", name="Road trip").click()
    toast.get_by_text("Added “Road song 1” to “Road trip”.").wait_for()

    tools = page.get_by_role("button", name="Tools")
    if tools.is_visible():  # a phone folds the list's tools away
        tools.click()
    page.locator(f'input.action_check[value="{ids[4]}"]').check()
    page.locator(f'input.action_check[value="{ids[1]}"]').check()
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Add to setlist").click()
    page.get_by_text("2 songs, in the order ticked:").wait_for()
    page.get_by_label("Road trip").check()
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"bulk-page-{size}.png", full_page=True)
    page.locator(".add-bulk-form").get_by_role("button", name="Add to setlist").click()
    page.get_by_text("Added 2 songs to “Road trip”.").wait_for()
    assert "/setlists/show/" in page.url
    # The list shows rows by title: song 2 was ticked before song 5.
    assert entries_of(app, "Road trip") == [ids[2], ids[0], ids[1], ids[4]]

    page.goto(f"{url}/songs/list/")
    page.get_by_role("button", name="Add to setlist: Road song 4").click()
    picker.get_by_role("button", name="Road trip").click()
    toast.get_by_role("link", name="Open setlist").click()
    page.wait_for_url("**/setlists/show/**")
    assert page.get_by_text("Road trip").first.is_visible()


def test_album_page_and_player_bar_add_and_the_keyboard_works(app, browse_as, make_album):
    """ "Add album" adds every track; the player bar adds the song playing; arrows, Enter
    and Escape work, and focus goes back to the button."""
    album_id, ids = make_album("Keys", [(f"Key song {n}", n, 5) for n in range(1, 4)])
    page, url = browse_as("Listener", viewport=SIZES["desktop"])
    page.goto(f"{url}/albums/show/{album_id}")
    page.get_by_role("button", name="Add album").click()
    picker = page.locator(PICKER)
    picker.get_by_role("button", name="New setlist…").click()
    picker.get_by_label("Name of the new setlist").fill("Whole album")
    page.keyboard.press("Enter")
    toast = page.locator(".setlist-toast")
    toast.get_by_text("Added “Keys” (3 songs) to “Whole album”.").wait_for()
    assert entries_of(app, "Whole album") == ids

    add_album = page.get_by_role("button", name="Add album")
    add_album.focus()
    page.keyboard.press("Enter")
    picker.wait_for()
    picker.get_by_role("button", name="Whole album").wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "Whole album"
    page.keyboard.press("Escape")
    assert picker.is_hidden()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Add album"

    page.get_by_role("button", name="Play album").click()
    current = page.locator("[data-setlist-current]")
    wait_until(current, "button => !button.hidden")
    current.click()
    picker.get_by_role("button", name="Whole album").click()
    page.locator(".setlist-toast").get_by_text("Added “Key song 1” to “Whole album”.").wait_for()
    assert entries_of(app, "Whole album") == [*ids, ids[0]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", sorted(SIZES))
def test_picker_fits_the_screen_light_and_dark(app, browse_as, make_album, tmp_path, size, scheme):
    """The open picker lies within the screen, its choices reachable; shot for review."""
    _album, _ids = make_album("Shots", [(f"Shot song {n}", n, 5) for n in range(1, 4)])
    page, url = browse_as("Listener", viewport=SIZES[size], color_scheme=scheme)
    for name in ("Road trip", "Café del Mar", "Sunday morning"):
        page.goto(f"{url}/songs/list/")
        page.get_by_role("button", name="Add to setlist: Shot song 1").click()
        page.locator(PICKER).get_by_role("button", name="New setlist…").click()
        page.locator(PICKER).get_by_label("Name of the new setlist").fill(name)
        page.keyboard.press("Enter")
        page.locator(".setlist-toast").get_by_text(f"to “{name}”.").wait_for()
    page.get_by_role("button", name="Add to setlist: Shot song 2").click()
    picker = page.locator(PICKER)
    picker.get_by_role("button", name="Road trip").wait_for()
    box = picker.bounding_box()
    width, height = SIZES[size]["width"], SIZES[size]["height"]
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= height
    names = picker.locator(".setlist-picker-name").all_text_contents()
    assert names == ["Sunday morning", "Café del Mar", "Road trip"]
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"picker-{size}-{scheme}.png")
    picker.get_by_role("searchbox").fill("cafe")
    picker.get_by_role("button", name="Road trip").wait_for(state="detached")
    assert picker.locator(".setlist-picker-name").all_text_contents() == ["Café del Mar"]
    picker.get_by_role("button", name="Café del Mar").click()
    page.locator(".setlist-toast").get_by_text("Added “Shot song 2” to “Café del Mar”.").wait_for()
    page.screenshot(path=folder / f"added-{size}-{scheme}.png")
