"""The multi-file upload page in a real Chromium: files and folders wait for "Upload", each
gets its own outcome (in words, with its own colour), refused ones a reason and a Retry, and
expected refusals leave no error in the browser's console. Folders: test_multi_upload_folders."""

import os
from pathlib import Path

import pytest

from tests.e2e.browsing import choose_in_picker
from tests.e2e.uploading import (
    catalog,
    drop,
    hue,
    outcome,
    row,
    untagged_copy,
    wait_for_summary,
    watch,
)
from tests.support.apps import files_in

pytestmark = pytest.mark.browser

#: Set to a folder to save the page mid-batch at both sizes, light and dark.
SHOTS = os.environ.get("UPLOAD_SHOTS")


def test_a_batch_waits_for_upload_and_each_file_gets_its_outcome_without_console_errors(
    app, browse_as, song, audio_dir, upload_folder, monkeypatch
):
    """Tagged, untagged, not audio, already there and too big, chosen at once: nothing is
    sent before "Upload"; then each row says its outcome in words with its own colour, and
    the console stays clean (expected refusals are answers, not failed requests)."""
    monkeypatch.setitem(app.config, "MAX_UPLOAD_LENGTH", 56_000)  # morning-light.mp3 is 59 kB
    before = set(files_in(upload_folder))
    page, url = browse_as("Editor", viewport={"width": 1366, "height": 900})
    page.goto(f"{url}/songs/list/")
    page.get_by_role("link", name="Upload several files").click()
    page.wait_for_url(f"{url}/songs/upload")
    problems = watch(page)
    names = [
        "cafe-nocturne-vbr.mp3",
        "untagged-tone.mp3",
        "not-audio-really-jpeg.mp3",
        "tone.ogg",
        "morning-light.mp3",
    ]
    page.set_input_files("#upload-files", [str(audio_dir / name) for name in names])
    assert outcome(page, "untagged-tone.mp3")[1] == "Ready"
    assert page.get_by_text("Nothing is sent until you press Upload").is_visible()
    assert (
        "Too big: 58 kB; the site takes files up to 39 kB."
        in row(page, "morning-light.mp3").inner_text()
    )
    start = page.locator(".upload-start")
    assert start.inner_text().strip() == "Upload 4 files"
    assert catalog(app) == {"Tone in Vorbis": ("Oscillator", "Test Tones", None)}  # none sent

    start.click()
    wait_for_summary(page, 2, 1, 2, 0)
    assert start.is_disabled()
    added, refused, duplicate = (
        outcome(page, "cafe-nocturne-vbr.mp3"),
        outcome(page, "not-audio-really-jpeg.mp3"),
        outcome(page, "tone.ogg"),
    )
    assert added[:2] == ("added", "Added") == outcome(page, "untagged-tone.mp3")[:2]
    assert refused[:2] == ("refused", "Refused") == outcome(page, "morning-light.mp3")[:2]
    assert duplicate[:2] == ("duplicate", "Already there")
    assert [hue(added[2]), hue(refused[2]), hue(duplicate[2])] == ["green", "red", "purple"]
    page.emulate_media(color_scheme="dark")
    dark = [
        outcome(page, name)[2] for name in ("untagged-tone.mp3", "tone.ogg", "morning-light.mp3")
    ]
    assert [hue(colour) for colour in dark] == ["green", "purple", "red"]
    page.emulate_media(color_scheme="light")
    assert not page.get_by_text("Nothing is sent until you press Upload").is_visible()
    assert "This file is not audio" in row(page, "not-audio-really-jpeg.mp3").inner_text()
    assert row(page, "not-audio-really-jpeg.mp3").get_by_role("button", name="Retry").is_visible()
    assert row(page, "morning-light.mp3").get_by_role("button", name="Retry").count() == 0
    existing = row(page, "tone.ogg").get_by_role("link", name="Open the song already there")
    assert existing.get_attribute("href") == f"/songs/show/{song.id}"
    assert row(page, "untagged-tone.mp3").get_by_role("link", name="Open the song").is_visible()
    assert catalog(app)["untagged-tone"] == ("Unknown artist", "Unknown album", None)
    assert [p.suffix for p in set(files_in(upload_folder)) - before] == [".mp3", ".mp3"]
    assert problems == []
    if SHOTS:
        shots(page, url, audio_dir)


def shots(page, url: str, audio_dir: Path) -> None:
    """Save the page mid-batch (outcomes above, files still waiting) at both sizes and themes."""
    page.set_input_files("#upload-files", [str(audio_dir / "tone.opus")])
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for size, (width, height) in {"desktop": (1366, 900), "phone": (390, 844)}.items():
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=folder / f"upload-{size}-{scheme}.png", full_page=True)


def test_files_dropped_before_an_album_is_chosen_go_to_the_album_chosen_after(
    app, browse_as, song, audio_dir, tmp_path
):
    """Drop two untagged files, then choose the album, then Upload: both land in it, titled
    (and numbered) by their file names."""
    page, url = browse_as("Editor")
    page.goto(f"{url}/songs/upload")
    problems = watch(page)
    dawn = untagged_copy(audio_dir, tmp_path, "02 Dawn.mp3")
    drop(page, [audio_dir / "untagged-tone.mp3", dawn])
    wait_for_summary(page, 0, 0, 0, 2)
    assert outcome(page, "02 Dawn.mp3")[1] == "Ready"
    choose_in_picker(page, "#album", "Test", "Test Tones")
    page.get_by_role("button", name="Upload 2 files").click()
    wait_for_summary(page, 2, 0, 0, 0)
    assert catalog(app) == {
        "Tone in Vorbis": ("Oscillator", "Test Tones", None),
        "untagged-tone": ("Oscillator", "Test Tones", None),
        "Dawn": ("Oscillator", "Test Tones", 2),
    }
    assert problems == []


def test_a_refused_file_is_added_by_retry_once_an_album_is_chosen_or_storage_is_back(
    app, browse_as, song, audio_dir, upload_folder, monkeypatch
):
    """Albums only from a choice (CATALOG_CREATE_FROM_TAGS off): an untagged file is refused
    with the reason, then added by Retry after choosing an album. A storage failure (503) is
    "Not sent" in orange with a Retry that adds the file once storage works again."""
    monkeypatch.setitem(app.config, "CATALOG_CREATE_FROM_TAGS", False)
    (upload_folder / "covers").write_text("a file where the covers folder should be")
    page, url = browse_as("Editor")
    page.goto(f"{url}/songs/upload")
    page.set_input_files("#upload-files", [str(audio_dir / "untagged-tone.mp3")])
    page.locator(".upload-start").click()
    wait_for_summary(page, 0, 0, 1, 0)
    untagged = row(page, "untagged-tone.mp3")
    assert "Choose an album" in untagged.inner_text()
    choose_in_picker(page, "#album", "Test", "Test Tones")
    untagged.get_by_role("button", name="Retry").click()
    wait_for_summary(page, 1, 0, 0, 0)
    assert outcome(page, "untagged-tone.mp3")[:2] == ("added", "Added")

    page.set_input_files("#upload-files", [str(audio_dir / "morning-light.mp3")])
    page.locator(".upload-start").click()
    wait_for_summary(page, 1, 0, 1, 0)
    state, words, colour = outcome(page, "morning-light.mp3")
    assert (state, words) == ("failed", "Not sent")
    assert hue(colour) == "orange"  # worth another try, unlike a refusal
    assert "could not be saved" in row(page, "morning-light.mp3").inner_text()
    (upload_folder / "covers").unlink()
    row(page, "morning-light.mp3").get_by_role("button", name="Retry").click()
    wait_for_summary(page, 2, 0, 0, 0)
    places = catalog(app)
    assert places["untagged-tone"] == ("Oscillator", "Test Tones", None)
    assert places["Morning Light"] == ("Oscillator", "Test Tones", 1)  # the album chosen


def test_a_file_over_a_limit_lowered_since_the_page_was_shown_is_refused_for_good(
    app, browse_as, audio_dir, monkeypatch
):
    """The server's 413 (the page checked against the old limit): refused with the server's
    words, Remove but no Retry (no retry can make it smaller)."""
    page, url = browse_as("Editor")
    page.goto(f"{url}/songs/upload")
    monkeypatch.setitem(app.config, "MAX_UPLOAD_LENGTH", 20_000)  # the file is 36 kB
    page.set_input_files("#upload-files", [str(audio_dir / "untagged-tone.mp3")])
    page.locator(".upload-start").click()
    wait_for_summary(page, 0, 0, 1, 0)
    refused = row(page, "untagged-tone.mp3")
    assert outcome(page, "untagged-tone.mp3")[:2] == ("refused", "Refused")
    assert "at most" in refused.inner_text()
    assert refused.get_by_role("button", name="Retry").count() == 0
    assert refused.get_by_role("button", name="Remove").is_visible()
    assert catalog(app) == {}
