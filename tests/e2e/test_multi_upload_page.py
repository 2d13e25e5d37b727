"""The multi-file upload page in a real Chromium: files and folders wait for "Upload", each
gets its own outcome (in words, with its own colour), refused ones a reason and a Retry, and
expected refusals leave no error in the browser's console."""

import base64
import os
import shutil
from pathlib import Path

import mutagen
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Song
from tests.e2e.browsing import choose_in_picker, wait_until
from tests.support import files_in

pytestmark = pytest.mark.browser

SUMMARY = "{} added, {} already there, {} refused, {} to go"
#: Set to a folder to save the page mid-batch at both sizes, light and dark.
SHOTS = os.environ.get("UPLOAD_SHOTS")


def untagged_copy(audio_dir: Path, folder: Path, name: str, source="cafe-nocturne-vbr.mp3") -> Path:
    """A copy of a tagged fixture with its tags stripped (new content: no duplicate)."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / name
    shutil.copy(audio_dir / source, copy)
    mutagen.File(copy).delete()
    return copy


def watch(page) -> list[str]:
    """Everything the browser would show in red: console errors, failed requests, 4xx/5xx."""
    seen = []
    page.on("console", lambda m: m.type == "error" and seen.append(f"console: {m.text}"))
    page.on("requestfailed", lambda r: seen.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and seen.append(f"{r.status}: {r.url}"))
    return seen


def row(page, name):
    """The result row of a file."""
    return page.locator(".upload-row", has_text=name)


def outcome(page, name) -> tuple[str, str, str]:
    """(row state class, the badge's words, the row's colour as "rgb(...)")."""
    found = row(page, name)
    state = found.get_attribute("class").split("upload-")[-1]
    colour = found.evaluate("r => getComputedStyle(r).borderLeftColor")
    return state, found.locator(".upload-badge").inner_text().strip(), colour


def rgb(colour: str) -> tuple[int, ...]:
    """(r, g, b) of a computed "rgb(r, g, b)"."""
    return tuple(int(part) for part in colour[colour.index("(") + 1 : -1].split(",")[:3])


def hue(colour: str) -> str:
    """The family of a computed colour: green, purple, orange or red."""
    r, g, b = rgb(colour)
    if g > max(r, b):
        return "green"
    if b > g and r > g:
        return "purple"
    return "orange" if g > r * 0.45 else "red"


def wait_for_summary(page, *counts) -> None:
    """Wait until the summary line says these counts."""
    page.locator(".upload-summary").filter(has_text=SUMMARY.format(*counts)).wait_for()


def drop(page, paths: list[Path]) -> None:
    """Drop files on the drop zone as a file manager does (a DataTransfer with Files)."""
    files = [{"name": p.name, "data": base64.b64encode(p.read_bytes()).decode()} for p in paths]
    transfer = page.evaluate_handle(
        """files => {
            const transfer = new DataTransfer();
            for (const file of files) {
                const bytes = Uint8Array.from(atob(file.data), c => c.charCodeAt(0));
                transfer.items.add(new File([bytes], file.name, {type: "audio/mpeg"}));
            }
            return transfer;
        }""",
        files,
    )
    page.dispatch_event(".drop-zone", "drop", {"dataTransfer": transfer})


def catalog(app) -> dict[str, tuple]:
    """Title -> (author, album, track) of every song."""
    with app.app_context():
        return {
            s.title: (s.album.author.name, s.album.title, s.track_number)
            for s in db.session.scalars(select(Song))
        }


def test_a_batch_waits_for_upload_and_each_file_gets_its_outcome_without_console_errors(
    app, browse_as, song, audio_dir, upload_folder, monkeypatch
):
    """Tagged, untagged, not audio, already there and too big, chosen at once: nothing is
    sent before "Upload"; then each row says its outcome in words with its own colour, and
    the console stays clean (expected refusals are answers, not failed requests)."""
    monkeypatch.setitem(app.config, "MAX_UPLOAD_LENGTH", 50_000)  # morning-light.mp3 is 59 kB
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
    assert "Too big" in row(page, "morning-light.mp3").inner_text()
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
    page.set_input_files("#upload-files", [str(audio_dir / "tone.flac")])
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

    page.goto(f"{url}/songs/upload?album={song.album_id}")
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
