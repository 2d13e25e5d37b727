"""Record pages in a real Chromium: the phone song page has Play on its first screen; an
editor uploads, replaces and removes an album cover and sees each one (nothing left over)."""

from pathlib import Path

import pytest

from tests.media.test_album_covers import png

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_phone_song_page_has_play_on_its_first_screen(browse_as, song):
    """At 390x844 the song's name, cover row and Play button are all above the fold, and
    Play plays the song."""
    page, url = browse_as("Listener", viewport=PHONE)
    page.goto(f"{url}/songs/show/{song.id}")
    heading = page.locator("h1.record-name")
    assert heading.evaluate("h => h.lastChild.textContent.trim()") == "Tone in Vorbis"
    assert heading.locator(".record-kind").inner_text().lower() == "song"
    assert page.title() == "Tone in Vorbis · Setlist"
    play = page.locator("table.record .play-button")
    box = play.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box
    # One line per field: the label sits beside its value, not above it.
    title_row = page.locator("table.record tr.field-title")
    label, value = title_row.locator("th").bounding_box(), title_row.locator("td").bounding_box()
    assert abs(label["y"] - value["y"]) < 2
    assert label["x"] < value["x"]
    play.click()
    page.wait_for_function(
        "() => { const a = document.querySelector('audio'); return a && !a.paused; }"
    )


def cover_names(app) -> list[str]:
    """The covers folder's files."""
    folder = Path(app.config["UPLOAD_FOLDER"]) / "covers"
    return sorted(path.name for path in folder.glob("*")) if folder.is_dir() else []


def shown_cover(page) -> tuple[str, int]:
    """(address, natural width) of the cover on an album page, once it has loaded."""
    image = page.locator("table.record img.album-cover")
    image.evaluate("img => img.decode()")
    return image.get_attribute("src"), image.evaluate("img => img.naturalWidth")


def test_an_editor_uploads_replaces_and_removes_a_cover(app, browse_as, song, tmp_path):
    """Each step through the real form shows the new state and leaves one file or none."""
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    first.write_bytes(png(64, 64))
    second.write_bytes(png(80, 80, shade=200))
    page, url = browse_as("Editor")
    edit = f"{url}/albums/edit/{song.album_id}"

    page.goto(edit)
    page.set_input_files("#cover_upload", str(first))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url(f"{url}/albums/show/{song.album_id}")
    src, width = shown_cover(page)
    assert width == 64
    assert len(cover_names(app)) == 1

    page.goto(edit)
    assert page.locator(".current-cover img").count() == 1
    page.set_input_files("#cover_upload", str(second))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url(f"{url}/albums/show/{song.album_id}")
    new_src, width = shown_cover(page)
    assert (new_src != src, width) == (True, 80)  # not the old picture from the cache
    assert len(cover_names(app)) == 1

    page.goto(edit)
    page.set_input_files("#cover_upload", {"name": "notes.png", "mimeType": "image/png",
                                           "buffer": b"just text"})  # fmt: skip
    page.click("form[enctype] button[type=submit]")
    assert page.locator(".alert-danger", has_text="not a JPEG, PNG or WebP").is_visible()
    assert len(cover_names(app)) == 1

    page.goto(edit)
    page.check("#remove_cover")
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url(f"{url}/albums/show/{song.album_id}")
    assert page.locator("table.record img.album-cover").count() == 0
    assert cover_names(app) == []
