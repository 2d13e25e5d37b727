"""Folders on the multi-upload page in a real Chromium: picked or dropped, their names place
untagged files as `flask catalog import` does; an album page's link presets the album."""

import base64

import pytest

from tests.e2e.browsing import wait_until
from tests.e2e.uploading import catalog, row, untagged_copy, wait_for_summary, watch

pytestmark = pytest.mark.browser


def test_a_folder_keeps_its_names_and_an_album_link_presets_the_album(
    app, browse_as, song, audio_dir, tmp_path
):
    """A picked folder: untagged files take its names (what `flask catalog import` does),
    other files in it are skipped. ?album=<id> chooses the album; a bad one is ignored."""
    library = tmp_path / "Nightjar"
    untagged_copy(audio_dir, library / "Dusk Songs", "03 Evening Call.mp3")
    (library / "Dusk Songs" / "cover.jpg").write_bytes(b"\xff\xd8\xff not really")
    page, url = browse_as("Editor")
    page.goto(f"{url}/songs/upload?album=no-such-album")
    assert page.locator("#album").input_value() == ""
    page.set_input_files("#upload-folder", str(library))
    assert "Nightjar/Dusk Songs/" in row(page, "03 Evening Call.mp3").inner_text()
    assert page.locator(".upload-skipped").inner_text().endswith(": 1")
    page.locator(".upload-start").click()
    wait_for_summary(page, 1, 0, 0, 0)
    assert catalog(app)["Evening Call"] == ("Nightjar", "Dusk Songs", 3)

    # The album page's "Upload several files" presets its album.
    page.goto(f"{url}/albums/show/{song.album_id}")
    page.get_by_role("link", name="Upload several files").click()
    assert f"_flt_0_album={song.album_id}" in page.url
    rendered = page.locator("#album + .select2 .select2-selection__rendered")
    assert "Test Tones" in rendered.inner_text()
    page.set_input_files("#upload-files", [str(audio_dir / "untagged-tone.mp3")])
    page.locator(".upload-start").click()
    wait_until(page.locator(".upload-summary"), "e => e.textContent.startsWith('1 added')")
    assert catalog(app)["untagged-tone"] == ("Oscillator", "Test Tones", None)


def test_a_dropped_folder_is_walked_to_its_last_file(app, browse_as, audio_dir, tmp_path):
    """A folder dropped from a file manager (the entries API, read in batches until an empty
    one): its audio files keep their folder names, its other files are skipped."""
    folder = tmp_path / "Nightjar" / "Dusk Songs"
    files = [
        untagged_copy(audio_dir, folder, "01 First Light.mp3"),
        untagged_copy(audio_dir, folder, "02 Second Wind.mp3", source="morning-light.mp3"),
    ]
    page, url = browse_as("Editor")
    page.goto(f"{url}/songs/upload")
    problems = watch(page)
    page.evaluate(
        """files => {
            const file = (name, data) => new File(
                [Uint8Array.from(atob(data), c => c.charCodeAt(0))], name);
            const leaf = (path, made) => ({isFile: true, isDirectory: false, fullPath: path,
                                           file: done => setTimeout(() => done(made))});
            const folder = (path, batches) => ({isFile: false, isDirectory: true, fullPath: path,
                createReader: () => ({readEntries: done => setTimeout(
                    () => done(batches.length ? batches.shift() : []))})});
            const base = "/Nightjar/Dusk Songs/";
            const songs = files.map(f => leaf(base + f.name, file(f.name, f.data)));
            const cover = leaf(base + "cover.jpg", file("cover.jpg", btoa("not audio")));
            const album = folder("/Nightjar/Dusk Songs", [[songs[1], cover], [songs[0]]]);
            const top = folder("/Nightjar", [[album]]);
            const drop = new Event("drop", {bubbles: true, cancelable: true});
            Object.defineProperty(drop, "dataTransfer", {value: {
                files: [], items: [{kind: "file", webkitGetAsEntry: () => top}]}});
            document.querySelector(".drop-zone").dispatchEvent(drop);
        }""",
        [{"name": p.name, "data": base64.b64encode(p.read_bytes()).decode()} for p in files],
    )
    wait_for_summary(page, 0, 0, 0, 2)
    names = page.locator(".upload-row .upload-name").all_inner_texts()
    assert [name.split("\n")[0] for name in names] == ["01 First Light.mp3", "02 Second Wind.mp3"]
    assert page.locator(".upload-skipped").inner_text().endswith(": 1")
    page.locator(".upload-start").click()
    wait_for_summary(page, 2, 0, 0, 0)
    assert catalog(app) == {
        "First Light": ("Nightjar", "Dusk Songs", 1),
        "Second Wind": ("Nightjar", "Dusk Songs", 2),
    }
    assert problems == []
