"""Helpers of the queue browser tests: albums of generated tones, the player's place."""

import io
import math
import os
import struct
import time
import wave

from tests.e2e.browsing import wait_until

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
