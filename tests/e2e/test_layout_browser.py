"""Every page fits the screen, on a desktop and on a phone: no sideways scrolling."""

import pytest

pytestmark = pytest.mark.browser

SIZES = [(1366, 900), (390, 844)]
#: What is wider than the screen (the page, or a box that scrolls sideways inside it).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [document.documentElement, ...document.querySelectorAll("body *")].filter(
    (element) => {
      const style = getComputedStyle(element);
      const root = element === document.documentElement;
      const scrolls = root || ["auto", "scroll"].includes(style.overflowX);
      return (scrolls && element.scrollWidth > element.clientWidth + 1)
        || (style.display !== "none" && element.getBoundingClientRect().right > width + 1);
    });
  return wide.map((element) => element.tagName + "." + element.className).slice(0, 5);
}"""


def pages(song) -> list[str]:
    """The list, record and form pages of the catalog."""
    return [
        "/",
        "/songs/list/",
        f"/songs/show/{song.id}",
        "/songs/add",
        "/songs/upload",
        f"/songs/bulk/move_to_album?ids={song.id}",
        f"/songs/edit/{song.id}",
        "/albums/list/",
        f"/albums/show/{song.album_id}",
        "/albums/add",
        "/authors/list/",
        "/authors/add",
        "/changes/list/",
        "/songs/show/999999",
        # FAB's security lists: a role's permissions were one cell 14,868 px wide.
        "/roles/list/",
        "/users/list/",
        "/swagger/v1",
    ]


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["desktop", "phone"])
def test_no_page_scrolls_sideways(browse_as, song, width, height):
    """An admin (who sees every column and button) opens each page at each size."""
    page, url = browse_as("Admin", viewport={"width": width, "height": height})
    for path in pages(song):
        page.goto(url + path)
        assert page.evaluate(OVERFLOW) == [], f"{path} at {width}px"


def test_the_dark_theme_follows_the_system(browse_as, song):
    """With the system set to dark, pages are dark: page, panels and lists alike."""
    page, url = browse_as("Admin", color_scheme="dark")
    page.goto(f"{url}/songs/list/")
    background = "(element) => getComputedStyle(element).backgroundColor"
    for selector in ["body", ".panel", ".panel-default > .panel-heading", ".well"]:
        red, green, blue = (
            int(part)
            for part in page.locator(selector).first.evaluate(background)[4:-1].split(",")[:3]
        )
        assert max(red, green, blue) < 80, selector


def test_albums_show_as_a_grid_of_covers_and_remember_it(browse_as, song):
    """ "Covers" turns the album list into tiles; the choice holds on the next visit."""
    page, url = browse_as("Listener")
    page.goto(f"{url}/albums/list/")
    table = page.locator("table.catalog-list")
    assert table.evaluate("t => getComputedStyle(t.tBodies[0]).display") == "table-row-group"
    page.get_by_role("button", name="Covers").click()
    assert table.evaluate("t => getComputedStyle(t.tBodies[0]).display") == "grid"
    assert page.get_by_role("button", name="Covers").get_attribute("aria-pressed") == "true"
    page.reload()
    assert "as-grid" in page.locator("table.catalog-list").get_attribute("class")
