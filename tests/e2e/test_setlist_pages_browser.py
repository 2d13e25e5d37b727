"""Setlists' list and page in Chromium: they fit a desktop and a phone, light and dark (no
sideways scrolling; screenshots kept in $SCREENSHOTS_DIR when set), and Delete asks in
FAB's dialog before it deletes."""

import pytest

from app.extensions import db
from app.setlists import entries, rules
from tests.e2e.browsing import shots_folder
from tests.e2e.test_layout_browser import OVERFLOW
from tests.setlists.building import make_songs

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture
def some_setlists(app, users):
    """The listener's setlists (one long, one described, one shared by link) and an
    editor's published one: the id of the long one."""
    with app.app_context():
        sm = app.appbuilder.sm
        listener = sm.find_user(username=users["Listener"]).id
        editor = sm.find_user(username=users["Editor"]).id
        songs = make_songs(60, duration=187.0)
        long_one = rules.create(
            db.session,
            listener,
            "Sunday morning radio show — running order",
            "Doors at 8.\nTalk-over after the third track.\nEnd with the long one.",
        )
        rules.create(db.session, listener, "Café warm-up", visibility="link")
        rules.create(db.session, listener, "Class listening list, week 3")
        rules.create(db.session, editor, "Staff picks", "Curated.", "catalog", may_publish=True)
        entries.add_songs(db.session, long_one, songs, listener)
        db.session.commit()
        return long_one.id


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
def test_setlist_pages_fit_every_screen(browse_as, some_setlists, tmp_path, size, scheme):
    """The list and a setlist's page, at each size and theme: nothing wider than the
    screen; the list offers a new setlist and an import; the header says what the
    setlist holds."""
    width, height = SIZES[size]
    page, url = browse_as(
        "Listener", viewport={"width": width, "height": height}, color_scheme=scheme
    )
    folder = shots_folder(tmp_path)
    for name, path in (
        ("list", "/setlists/list/"),
        ("show", f"/setlists/show/{some_setlists}"),
        ("form", f"/setlists/edit/{some_setlists}"),
    ):
        page.goto(url + path)
        # The whole page, its entries, play, files and share sections included.
        assert page.evaluate(OVERFLOW) == [], f"{path} at {width}px"
        if name == "list":  # two ways to start a setlist, side by side
            actions = page.locator(".setlist-list-actions a")
            labels = [text.strip() for text in actions.all_inner_texts()]
            assert labels == ["New setlist", "Import a playlist"]
            assert actions.nth(1).get_attribute("href") == "/setlists/import"
        shot = folder / f"setlist-{name}-{size}-{scheme}.png"
        page.screenshot(path=str(shot), full_page=size == "desktop" or name == "show")
    page.goto(f"{url}/setlists/show/{some_setlists}")
    assert page.locator(".setlist-entry-count").inner_text() == "60"
    assert page.locator(".setlist-playing-time").inner_text() == "3:07:00"


def test_delete_asks_in_the_dialog_then_deletes(browse_as, some_setlists):
    """Delete opens FAB's confirmation; OK posts the form (CSRF) and lands on the list."""
    page, url = browse_as("Listener", viewport={"width": 1366, "height": 900})
    page.goto(f"{url}/setlists/show/{some_setlists}")
    page.click(".setlist-actions .btn-danger")
    page.wait_for_selector("#modal-confirm", state="visible")
    assert "songs stay" in page.locator("#modal-confirm .modal-body").inner_text()
    page.click("#modal-confirm-ok")
    page.wait_for_url(f"{url}/setlists/list/")
    content = page.content()
    assert "Setlist “Sunday morning radio show — running order” deleted." in content
    assert ">Sunday morning radio show — running order</a>" not in content
    assert ">Café warm-up</a>" in content


@pytest.mark.parametrize("size", list(SIZES))
def test_admins_all_tab_marks_others_private_setlists(browse_as, some_setlists, tmp_path, size):
    """An admin's "All" tab lists the listener's private setlists, each marked as whose."""
    width, height = SIZES[size]
    page, url = browse_as("Admin", viewport={"width": width, "height": height})
    page.goto(f"{url}/setlists/list/?tab=all")
    assert page.evaluate(OVERFLOW) == []
    marked = page.locator(".setlist-badge-moderation")
    assert marked.count() == 2  # the listener's two private setlists
    assert marked.first.inner_text().startswith("Private setlist of ")
    page.screenshot(path=str(shots_folder(tmp_path) / f"setlist-list-admin-{size}.png"))
