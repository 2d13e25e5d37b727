"""The multi-file upload page in a real Chromium: several files, one result each."""

import pytest

from tests.support import files_in

pytestmark = pytest.mark.browser


def test_several_files_get_their_own_results_and_only_good_ones_are_kept(
    browse_as, song, audio_dir, upload_folder
):
    """A good file, a disguised image and a file already there, chosen at once."""
    before = set(files_in(upload_folder))
    page, url = browse_as("Editor")
    page.goto(f"{url}/songs/list/")
    page.get_by_role("link", name="Upload several files").click()
    page.wait_for_url(f"{url}/songs/upload")
    names = ["cafe-nocturne-vbr.mp3", "not-audio-really-jpeg.mp3", "tone.ogg"]
    page.set_input_files("#upload-files", [str(audio_dir / name) for name in names])
    summary = page.locator(".upload-summary")
    summary.filter(has_text="1 added, 1 already there, 1 refused, 0 to go").wait_for()

    def row(name):
        return page.locator(".upload-row", has_text=name)

    assert "upload-added" in row("cafe-nocturne-vbr.mp3").get_attribute("class")
    assert row("cafe-nocturne-vbr.mp3").get_by_role("link", name="Open the song").is_visible()
    assert "upload-refused" in row("not-audio-really-jpeg.mp3").get_attribute("class")
    assert "upload-duplicate" in row("tone.ogg").get_attribute("class")
    existing = row("tone.ogg").get_by_role("link", name="Open the song already there")
    assert existing.get_attribute("href") == f"/songs/show/{song.id}"
    added = set(files_in(upload_folder)) - before
    assert [path.suffix for path in added] == [".mp3"]  # the one good file
