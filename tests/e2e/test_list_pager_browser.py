"""Long lists in Chromium: the jump to a page deep in 20,000 songs, pagers above and below,
a phone's toolbar that leaves room for the list."""

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Song
from tests.catalog.test_list_pager import titles_at

pytestmark = pytest.mark.browser

SORTED = "_oc_SongModelView=title&_od_SongModelView=asc"
PHONE = {"width": 390, "height": 844}
#: Where the first card of a list may start on a phone (it started at about 400 px).
FIRST_CARD_TOP = 300


def jump(page, place: str, number: int) -> None:
    """Type a page number in a pager's box and press Go."""
    pager = page.locator(f".list-pager-{place}")
    pager.get_by_label("Page").fill(str(number))
    pager.get_by_role("button", name="Go").click()


def test_jump_to_page_400_of_20000_songs_then_next(app, browse_as, generated_catalog):
    """Page 400 shows songs 9,976-10,000 in title order; its bottom pager goes on to 401."""
    generated_catalog(20_000)
    page, url = browse_as("Listener")
    page.goto(f"{url}/songs/list/?{SORTED}")
    assert page.locator(".list-summary").all_inner_texts() == ["1–25 of 20,000"] * 2
    jump(page, "top", 400)
    page.wait_for_url(re.compile(r"page_SongModelView=399(&|$)"))
    assert page.locator(".list-summary").all_inner_texts() == ["9,976–10,000 of 20,000"] * 2
    assert page.locator("td.col-title").all_inner_texts() == titles_at(app, 9_975)
    bottom = page.locator(".list-pager-bottom")
    assert bottom.is_visible()
    assert bottom.locator("[aria-current=page]").inner_text() == "400"
    assert bottom.get_by_role("link", name="801").count() == 0  # 800 pages, not 801
    assert bottom.get_by_role("link", name="800").is_visible()
    bottom.locator("a[rel=next]").click()
    page.wait_for_url(re.compile(r"page_SongModelView=400(&|$)"))
    assert "_oc_SongModelView=title" in page.url
    assert page.locator(".list-summary").first.inner_text() == "10,001–10,025 of 20,000"
    assert page.locator("td.col-title").all_inner_texts() == titles_at(app, 10_000)


def test_a_jump_keeps_the_filter_and_a_bad_page_is_explained(app, browse_as, generated_catalog):
    """Filtered by title, page 3 by the bottom pager's box; page 0 typed in the address."""
    generated_catalog(2_000)
    river = Song.title_key.contains("river")
    with app.app_context():
        matching = db.session.scalar(select(func.count()).where(river))
    page, url = browse_as("Listener")
    page.goto(f"{url}/songs/list/?_flt_0_title=river&{SORTED}")
    jump(page, "bottom", 3)
    page.wait_for_url(re.compile(r"page_SongModelView=2(&|$)"))
    assert "_flt_0_title=river" in page.url
    assert page.locator(".list-summary").first.inner_text() == f"51–75 of {matching:,}"
    assert page.locator("td.col-title").all_inner_texts() == titles_at(app, 50, river)
    assert "Title contains “river”" in page.locator(".active-filters").inner_text()
    page.goto(f"{url}/songs/list/?_flt_0_title=river&{SORTED}&jump_SongModelView=0")
    assert "Pages are numbered from 1" in page.locator(".alert").inner_text()
    assert page.locator(".list-summary").first.inner_text() == f"1–25 of {matching:,}"


def test_a_phone_sees_the_first_card_high_and_the_tools_on_demand(browse_as, generated_catalog):
    """On a phone the toolbar is a line and a pager: tools fold away until asked for."""
    generated_catalog(300)
    page, url = browse_as("Editor", viewport=PHONE)
    for path in ("/songs/list/", "/albums/list/", "/authors/list/"):
        page.goto(url + path)
        first_card = page.locator("table.catalog-list > tbody > tr").first.bounding_box()
        assert first_card["y"] <= FIRST_CARD_TOP, path
    page.goto(f"{url}/songs/list/")
    export = page.get_by_role("link", name="Export CSV")
    assert not export.is_visible()
    page.get_by_role("button", name="Tools").click()
    export.wait_for(state="visible")
    assert page.get_by_role("link", name="Upload several files").is_visible()


def test_a_desktop_shows_every_tool_at_once(browse_as, generated_catalog):
    """At 1366 px nothing is folded: no Tools button, every tool in sight."""
    generated_catalog(60)
    page, url = browse_as("Editor", viewport={"width": 1366, "height": 900})
    page.goto(f"{url}/songs/list/")
    assert not page.get_by_role("button", name="Tools").is_visible()
    assert page.get_by_role("link", name="Export CSV").is_visible()
    assert page.locator(".list-pager-top .pagination").is_visible()
