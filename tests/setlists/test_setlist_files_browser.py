"""Setlist files in Chromium: download a setlist's M3U8 from its page, import it back through
the import page, read the report; a refused file is said beside the field. Desktop and
phone, light and dark, nothing wider than the screen (screenshots in $SCREENSHOTS_DIR)."""

import pytest

from app.extensions import db
from app.setlists import entries, rules
from tests.e2e.browsing import shots_folder
from tests.e2e.test_layout_browser import OVERFLOW
from tests.setlists.building import make_songs

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture
def long_setlist(app, users) -> int:
    """The listener's setlist of 40 songs, with a repeat; its id."""
    with app.app_context():
        listener = app.appbuilder.sm.find_user(username=users["Listener"]).id
        songs = make_songs(40, duration=201.0)
        setlist = rules.create(db.session, listener, "Saturday — late set")
        entries.add_songs(db.session, setlist, [*songs, songs[3]], listener)
        db.session.commit()
        return setlist.id


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
def test_export_from_the_page_and_import_it_back(browse_as, long_setlist, tmp_path, size, scheme):
    """The page's M3U8 link downloads the file; the import page takes it back and reports
    41 of 42 lines matched (one the catalog lacks); an empty file is refused beside the field."""
    width, height = SIZES[size]
    page, url = browse_as(
        "Listener", viewport={"width": width, "height": height}, color_scheme=scheme
    )
    folder = shots_folder(tmp_path)
    page.goto(f"{url}/setlists/show/{long_setlist}")
    section = page.locator(".setlist-files")
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(folder / f"setlist-files-section-{size}-{scheme}.png"))
    with page.expect_download() as download_info:
        section.get_by_role("link", name="M3U8").click()
    download = download_info.value
    assert download.suggested_filename == "Saturday — late set.m3u8"  # from filename*
    saved = tmp_path / "back.m3u8"
    download.save_as(saved)
    text = saved.read_text()
    assert text.count("#EXTINF:201,Many - Track") == 41
    # Edited by hand: a song the catalog lacks, at the top.
    unknown = "#EXTINF:200,Nobody - A Song Nobody Uploaded\n../../elsewhere/nobody-song.mp3\n"
    saved.write_text(text.replace("#EXTM3U\n", "#EXTM3U\n" + unknown, 1))

    section.get_by_role("link", name="Import a playlist").click()
    empty = tmp_path / "empty.m3u"
    empty.write_bytes(b"\n")
    page.set_input_files("#playlist", str(empty))
    page.click(".setlist-import-form button[type=submit]")
    assert "The file is empty." in page.locator("#playlist-errors").inner_text()
    assert page.evaluate(OVERFLOW) == []
    page.screenshot(path=str(folder / f"setlist-import-{size}-{scheme}.png"), full_page=True)

    page.set_input_files("#playlist", str(saved))
    page.click(".setlist-import-form button[type=submit]")
    assert page.locator(".import-totals").inner_text() == "Matched 41 of 42 lines."
    assert "nobody-song.mp3" in page.locator(".import-unmatched").inner_text()
    assert page.evaluate(OVERFLOW) == []
    page.screenshot(path=str(folder / f"setlist-import-report-{size}-{scheme}.png"))
    page.get_by_role("link", name="Open the setlist").click()
    assert page.locator(".setlist-entry-count").inner_text() == "41"
