"""Reordering a setlist's entries in Chromium, on a desktop and a phone: by dragging a row's
handle (mouse; touch pointers on the phone), by keyboard (Space, arrows, Space; Alt+Arrow),
by the buttons across pages, then undo; the order checked after a reload. Screenshots light
and dark kept in $SCREENSHOTS_DIR when set."""

import pytest
from sqlalchemy import delete

from app.extensions import db
from app.models import Setlist
from app.setlists import entries, rules
from tests.e2e.browsing import shots_folder
from tests.e2e.test_layout_browser import OVERFLOW
from tests.setlists.building import make_songs

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def running_order(app, users):
    """A listener's setlist of 30 songs with a note: its page's address."""
    with app.app_context():
        listener = app.appbuilder.sm.find_user(username=users["Listener"]).id
        songs = make_songs(30, duration=187.0)
        setlist = rules.create(db.session, listener, "Friday night running order")
        added = entries.add_songs(db.session, setlist, songs, listener).entries
        added[1].note = "segue"
        db.session.commit()
        path = f"/setlists/show/{setlist.id}"
    yield path
    with app.app_context():
        db.session.execute(delete(Setlist))
        db.session.commit()


def shown(page) -> list[str]:
    """The numbers of the titles on the page, in order ("Track 00003" -> 3)."""
    titles = page.locator("[data-entries] tr[data-entry]").evaluate_all(
        "rows => rows.map(row => row.dataset.title)"
    )
    return [int(title.split()[-1]) for title in titles]


def settled(page) -> None:
    """Wait until the section has been drawn again after a change."""
    page.wait_for_selector("[data-entries]:not([aria-busy])")
    page.wait_for_load_state("networkidle")


def handle(page, number: int):
    """The drag handle of the row at a place on the page (from 0)."""
    return page.locator("[data-entries] tr[data-entry]").nth(number).locator("[data-entry-handle]")


def row_top(page, number: int) -> float:
    """Where the row at a place on the page starts, from the top of the window."""
    return page.locator("[data-entries] tr[data-entry]").nth(number).bounding_box()["y"]


def drag(page, source: int, target: int) -> None:
    """Drag a row by its handle with the mouse onto another row's place."""
    start = handle(page, source).bounding_box()
    end = page.locator("[data-entries] tr[data-entry]").nth(target).bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    grip = start["y"] + start["height"] / 2 - row_top(page, source)
    goal = end["y"] + grip + (8 if target > source else -8)
    page.mouse.move(start["x"] + 5, goal, steps=12)
    page.mouse.up()


def touch_drag(page, source: int, target: int) -> None:
    """The same with a finger: pointer events of pointerType "touch"."""
    grip = handle(page, source)
    box = grip.bounding_box()
    end = page.locator("[data-entries] tr[data-entry]").nth(target).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    common = {"pointerId": 7, "pointerType": "touch", "isPrimary": True, "bubbles": True}
    grip.dispatch_event("pointerdown", {**common, "clientX": x, "clientY": y, "button": 0})
    goal = end["y"] + (y - row_top(page, source)) + (8 if target > source else -8)
    for step in range(1, 13):
        here = y + (goal - y) * step / 12
        grip.dispatch_event("pointermove", {**common, "clientX": x, "clientY": here})
    grip.dispatch_event("pointerup", {**common, "clientX": x, "clientY": goal})


@pytest.mark.parametrize("size", list(SIZES))
def test_reorder_by_drag_keyboard_and_buttons(browse_as, running_order, size):
    """Drag the 1st below the 3rd, grab the 5th by keyboard and drop it two up, Alt+Down,
    move one of page 2 to the top, undo it: after each reload the server has that order."""
    page, url = browse_as("Listener", viewport=SIZES[size])
    page.goto(url + running_order)
    assert shown(page)[:5] == [0, 1, 2, 3, 4]
    if size == "phone":
        touch_drag(page, 0, 2)
    else:
        drag(page, 0, 2)
    settled(page)
    assert shown(page)[:5] == [1, 2, 0, 3, 4]
    page.reload()
    assert shown(page)[:5] == [1, 2, 0, 3, 4]

    handle(page, 4).focus()
    page.keyboard.press("Space")
    assert "Grabbed “Track 00004”" in page.locator("[data-entries-live]").inner_text()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert "position 3" in page.locator("[data-entries-live]").inner_text()
    page.keyboard.press("Space")
    settled(page)
    assert page.locator("[data-entries-live]").inner_text() == "Moved “Track 00004” to position 3."
    focused = page.evaluate("document.activeElement.closest('tr').dataset.title")
    assert focused == "Track 00004"
    page.keyboard.press("Alt+ArrowDown")
    settled(page)
    page.reload()
    assert shown(page)[:6] == [1, 2, 0, 4, 3, 5]

    page.locator("[data-entries] a[rel=next]").first.click()
    settled(page)
    assert "entries_page=2" in page.url
    row = page.locator("[data-entries] tr[data-title='Track 00027']")
    row.locator("details.entry-more > summary").click()
    row.get_by_role("button", name="Move to top").click()
    settled(page)
    assert "Moved “Track 00027” to position 1." in page.locator("[data-entries-live]").inner_text()
    page.goto(url + running_order)
    assert shown(page)[:3] == [27, 1, 2]
    page.get_by_role("button", name="Undo").click()
    settled(page)
    assert (
        "Moved “Track 00027” back to position 28."
        in page.locator("[data-entries-live]").inner_text()
    )
    page.reload()
    assert shown(page)[:3] == [1, 2, 0]
    assert page.evaluate(OVERFLOW) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
def test_entries_screenshots(browse_as, running_order, tmp_path, size, scheme):
    """The section at each size and theme: nothing wider than the screen; a row grabbed by
    keyboard and a row's "more" panel, shot for a person to look at."""
    page, url = browse_as("Listener", viewport=SIZES[size], color_scheme=scheme)
    page.goto(url + running_order)
    folder = shots_folder(tmp_path)
    page.locator("#entries").scroll_into_view_if_needed()
    page.screenshot(path=str(folder / f"setlist-entries-{size}-{scheme}.png"))
    assert page.evaluate(OVERFLOW) == []
    handle(page, 1).focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.screenshot(path=str(folder / f"setlist-entries-{size}-{scheme}-grabbed.png"))
    page.keyboard.press("Escape")
    page.locator("[data-entries] tr[data-entry]").nth(3).locator("summary").click()
    page.screenshot(path=str(folder / f"setlist-entries-{size}-{scheme}-more.png"))
    assert page.evaluate(OVERFLOW) == []
