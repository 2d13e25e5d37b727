"""The play queue in a real Chromium: it is the player's, not the page's, and outlives pages."""

import io
import math
import os
import struct
import time
import wave
from pathlib import Path

import pytest

from app.extensions import db
from app.media.storage import LocalStore, content_sha256
from app.models import Album, Author, Song
from tests.e2e.browsing import wait_until

pytestmark = pytest.mark.browser

AUDIO = "#player-bar audio"
#: Where the queue panel's screenshots go (looked at by a person), else the test's tmp_path.
SHOTS = os.environ.get("PLAYER_SHOTS")


def tone(seconds: float, pitch: int) -> bytes:
    """A WAV sine tone (8 kHz mono): long songs without large fixture files."""
    rate = 8000
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * pitch * n / rate)))
        for n in range(int(rate * seconds))
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(frames)
    return out.getvalue()


@pytest.fixture
def make_album(app, upload_folder):
    """make_album(title, [(song title, track, seconds), ...]) -> (album id, song ids)."""
    store = LocalStore(upload_folder)
    made = []

    def make(title: str, songs: list[tuple[str, int | None, float]]) -> tuple[int, list[int]]:
        with app.app_context():
            album = Album(title=title, author=Author(name=f"{title} Band"))
            rows = []
            for song_title, track, seconds in songs:
                content = tone(seconds, 220 + 40 * len(made))
                made.append(song_title)
                rows.append(
                    Song(
                        title=song_title,
                        album=album,
                        track_number=track,
                        audio_file=store.save(io.BytesIO(content), "tone.wav"),
                        original_filename="tone.wav",
                        duration=seconds,
                        sha256=content_sha256(io.BytesIO(content)),
                        mime_type="audio/wav",
                        audio_format="WAV",
                    )
                )
            db.session.add_all(rows)
            db.session.commit()
            return album.id, [row.id for row in rows]

    return make


def playing(song_id: int) -> str:
    """A condition on the bar's audio: this song sounds and its time moves."""
    return f"a => a.src.endsWith('/songs/stream/{song_id}') && !a.paused && a.currentTime > 0.2"


def place(page) -> tuple[float, bool, str]:
    """The bar's time, whether it is paused, and the song it holds."""
    return page.locator(AUDIO).evaluate("a => [a.currentTime, a.paused, a.src]")


def go(page, url: str) -> float:
    """Open another page by clicking a link to it, as a person does (a full page load; a
    click, unlike page.goto, lets the next page go on sounding: Chromium's autoplay rule).
    Returns when the old page was left."""
    page.evaluate(
        """href => {
            const link = Object.assign(document.createElement("a"), {id: "go-there", href});
            link.textContent = "go";
            document.body.prepend(link);
        }""",
        url,
    )
    left = time.monotonic()
    page.click("#go-there")
    page.wait_for_url(url)
    return left


def carried_on(page, before: float, left: float) -> None:
    """On the page just opened, the song plays on from where the last page left it: never
    earlier, and no further than the time that passed since."""
    player = page.locator(AUDIO)
    wait_until(player, "a => !a.paused && a.currentTime > 0.2")
    now, paused, _ = place(page)
    passed = time.monotonic() - left
    assert not paused, page.url
    assert before - 0.1 <= now <= before + passed + 0.5, (page.url, before, now, passed)
    assert page.locator(".player-title").inner_text() == "Long one"


def test_three_pages_keep_the_place_and_the_pause(browse_as, make_album):
    """Playing across three page loads, the time only moves forward by the time that passed;
    paused, it stays paused where it was on the next two pages."""
    album_id, (first, _second) = make_album("Long Play", [("Long one", 1, 40), ("Long two", 2, 40)])
    page, url = browse_as("Listener")
    page.goto(f"{url}/albums/show/{album_id}")
    page.get_by_role("button", name="Play album").click()
    player = page.locator(AUDIO)
    wait_until(player, playing(first) + " && a.currentTime > 1.5")
    for path in ("/songs/list/", f"/songs/show/{first}", "/authors/list/"):
        before = place(page)[0]
        left = go(page, url + path)
        carried_on(page, before, left)
        page.wait_for_timeout(700)
    page.locator("[data-player=toggle]").click()
    wait_until(player, "a => a.paused")
    stopped_at, _, _ = place(page)
    for path in ("/", f"/albums/show/{album_id}"):
        go(page, url + path)
        wait_until(
            player, f"a => a.readyState >= 1 && Math.abs(a.currentTime - {stopped_at}) < 0.3"
        )
        page.wait_for_timeout(800)  # long enough for a wrongly carried "playing" to start
        now, paused, src = place(page)
        assert paused, path
        assert abs(now - stopped_at) < 0.3, (path, stopped_at, now)
        assert src.endswith(f"/songs/stream/{first}")
        assert page.locator("[data-player=toggle]").get_attribute("aria-label") == "Play"


def test_the_queue_plays_on_and_runs_out_on_pages_without_its_songs(browse_as, make_album):
    """Next and a song's end move in the queue on any page; the queue's end stops there."""
    album_id, ids = make_album(
        "Short Play", [("Short a", 1, 4), ("Short b", 2, 4), ("Short c", 3, 4)]
    )
    page, url = browse_as("Listener")
    page.goto(f"{url}/albums/show/{album_id}")
    page.get_by_role("button", name="Play album").click()
    player = page.locator(AUDIO)
    wait_until(player, playing(ids[0]))
    go(page, f"{url}/authors/list/")  # no play buttons at all
    assert page.locator(".play-button").count() == 0
    wait_until(player, playing(ids[1]), seconds=10)  # the end of a plays b, here
    assert page.locator(".player-title").inner_text() == "Short b"
    go(page, f"{url}/albums/list/")  # another page without them
    wait_until(player, playing(ids[1]))
    page.click("[data-player=next]")
    wait_until(player, playing(ids[2]))
    wait_until(player, "a => a.ended && a.paused", seconds=10)
    page.wait_for_timeout(500)
    assert place(page)[2].endswith(f"/songs/stream/{ids[2]}")  # nothing after the last
    page.click("[data-player=next]")
    page.wait_for_timeout(300)
    assert place(page)[1] is True
    page.click("[data-player=previous]")  # 4 s into c: back to its start
    assert place(page)[0] < 0.5
    page.click("[data-player=previous]")  # at its start: back in the queue
    wait_until(player, playing(ids[1]))


def test_play_album_plays_every_track_in_running_order(browse_as, make_album):
    """Tracks 2, none and 1 play as 1, 2, then the unnumbered; fetched a page at a time."""
    album_id, (two, unnumbered, one) = make_album(
        "Odd Order", [("Track two", 2, 1.5), ("No number", None, 1.5), ("Track one", 1, 1.5)]
    )
    page, url = browse_as("Listener")
    asked = []

    def two_at_a_time(route):
        """Serve the album's tracks in pages of two, so the last one comes lazily."""
        asked.append(route.request.url)
        route.continue_(
            url=route.request.url + ("&" if "?" in route.request.url else "?") + "limit=2"
        )

    page.route("**/api/v1/playqueue/albums/**", two_at_a_time)
    page.goto(f"{url}/albums/show/{album_id}")
    page.get_by_role("button", name="Play album").click()
    player = page.locator(AUDIO)
    wait_until(player, playing(one))
    page.locator("[data-player=queue]").click()
    items = page.locator(".queue-item .queue-song-title")
    wait_until(items.first, "e => document.querySelectorAll('.queue-item').length === 3")
    assert items.all_inner_texts() == ["Track one", "Track two", "No number"]
    assert len(asked) == 2
    assert "offset=2" in asked[1]
    wait_until(player, playing(two), seconds=10)
    wait_until(player, playing(unnumbered), seconds=10)


def test_the_queue_resumes_on_another_device_of_the_same_user_only(browse_as, make_album):
    """Paused on one device, the same user finds that queue and place on another; another
    user does not."""
    album_id, ids = make_album("Two Rooms", [("Room one", 1, 30), ("Room two", 2, 30)])
    laptop, url = browse_as("Listener")
    laptop.goto(f"{url}/albums/show/{album_id}")
    laptop.get_by_role("button", name="Play album").click()
    player = laptop.locator(AUDIO)
    wait_until(player, playing(ids[0]))
    laptop.click("[data-player=next]")
    wait_until(player, playing(ids[1]) + " && a.currentTime > 1.2")
    with laptop.expect_response(
        lambda r: "/api/v1/playqueue" in r.url and r.request.method == "PUT"
    ):
        laptop.locator("[data-player=toggle]").click()
    stopped_at = place(laptop)[0]

    phone, _ = browse_as("Listener", viewport={"width": 390, "height": 844})
    phone.goto(f"{url}/songs/list/")
    other = phone.locator(AUDIO)
    wait_until(other, f"a => a.src.endsWith('/songs/stream/{ids[1]}')")
    assert phone.locator(".player-title").inner_text() == "Room two"
    wait_until(other, f"a => a.readyState >= 1 && Math.abs(a.currentTime - {stopped_at}) < 0.5")
    assert place(phone)[1] is True  # resumed paused: the person presses Play
    phone.locator("[data-player=toggle]").click()
    wait_until(other, playing(ids[1]))

    editor, _ = browse_as("Editor")
    editor.goto(f"{url}/songs/list/")
    editor.wait_for_load_state("networkidle")
    assert editor.locator("#player-bar").is_hidden()


def test_rows_add_to_the_queue_and_the_panel_edits_it_by_keyboard(browse_as, make_album):
    """Play, Add to queue, Play next; the panel moves, removes and clears with the keyboard."""
    _album_id, ids = make_album(
        "Keys", [("Key one", 1, 30), ("Key two", 2, 30), ("Key three", 3, 30)]
    )
    page, url = browse_as("Listener")
    page.goto(f"{url}/songs/list/?_oc_SongModelView=track_number&_od_SongModelView=asc")
    page.click(f".play-button[data-song='{ids[0]}']")
    player = page.locator(AUDIO)
    wait_until(player, playing(ids[0]))
    page.get_by_role("button", name="Play next: Key three").click()
    page.get_by_role("button", name="Add to queue: Key one").click()
    assert "Key one" in page.locator("[data-player=status]").inner_text()
    page.locator("[data-player=queue]").click()
    titles = page.locator(".queue-item .queue-song-title")
    assert titles.all_inner_texts() == ["Key one", "Key three", "Key two", "Key three", "Key one"]
    assert page.locator(".queue-item.current .queue-song-title").inner_text() == "Key one"
    page.get_by_role("button", name="Move down: Key three").first.focus()
    page.keyboard.press("Enter")
    assert titles.all_inner_texts() == ["Key one", "Key two", "Key three", "Key three", "Key one"]
    assert (
        page.evaluate("document.activeElement.getAttribute('aria-label')") == "Move down: Key three"
    )
    page.keyboard.press("Tab")  # to Remove
    page.keyboard.press("Enter")
    assert titles.all_inner_texts() == ["Key one", "Key two", "Key three", "Key one"]
    page.goto(f"{url}/authors/list/")  # the edits outlive the page
    page.locator("[data-player=queue]").click()
    assert titles.all_inner_texts() == ["Key one", "Key two", "Key three", "Key one"]
    page.get_by_role("button", name="Clear").click()
    assert page.locator("#player-bar").is_hidden()
    assert place(page)[1] is True


def test_a_home_page_row_queues_its_own_list_only(app, browse_as, make_album):
    """The home page's "Recently added" and "Top rated" are two lists, not one queue."""
    _album_id, ids = make_album("Home", [("Home one", 1, 30), ("Home two", 2, 30)])
    with app.app_context():
        for song_id in ids:
            db.session.get(Song, song_id).rating = 5
        db.session.commit()
    page, url = browse_as("Listener")
    page.goto(f"{url}/")
    newest = page.locator("section").filter(has_text="Recently added")
    rows = newest.locator(".play-button").count()
    newest.locator(".play-button").first.click()
    wait_until(page.locator(AUDIO), "a => !a.paused")
    assert page.locator(".home-play .play-button").count() == 2 * len(ids)  # both lists
    assert rows == len(ids)
    assert page.locator("[data-player=count]").inner_text() == str(rows)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_queue_panel_fits_the_screen(browse_as, make_album, tmp_path, scheme, size):
    """The open panel lies within the screen above the bar, its buttons reachable; shot."""
    album_id, _ids = make_album("Panel", [(f"Panel song {n}", n, 30) for n in range(1, 13)])
    width, height = size
    page, url = browse_as(
        "Listener", viewport={"width": width, "height": height}, color_scheme=scheme
    )
    page.goto(f"{url}/albums/show/{album_id}")
    page.get_by_role("button", name="Play album").click()
    wait_until(page.locator(AUDIO), "a => !a.paused")
    page.locator("[data-player=queue]").click()
    panel = page.locator("#queue-panel").bounding_box()
    bar = page.locator("#player-bar").bounding_box()
    assert panel["x"] >= 0
    assert panel["x"] + panel["width"] <= width
    assert panel["y"] >= 0
    assert panel["y"] + panel["height"] <= bar["y"] + 1
    remove = page.get_by_role("button", name="Remove from queue: Panel song 2")
    assert remove.is_visible()
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    name = f"queue-panel-{'desktop' if width > 800 else 'phone'}-{scheme}.png"
    page.screenshot(path=folder / name)
