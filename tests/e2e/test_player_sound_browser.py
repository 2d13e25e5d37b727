"""The player's sound in a real Chromium: even volume through a Web Audio gain node, the
waveform as the seek bar (pointer and keys, in the bar and on the song's page), and the
data saver's smaller stream; the settings remembered for the user."""

import math
from array import array

import pytest

from app.audio_analysis.waveform import Waveform
from app.extensions import db
from app.models import Album, Song
from tests.e2e.browsing import wait_until
from tests.e2e.queueing import AUDIO, playing

pytestmark = pytest.mark.browser

BAR = "#player-bar"
WAVE = "#player-bar [data-player=waveform]"


def drawn(points: int = 200) -> bytes:
    """A stored mono waveform that swells and fades (what the analysis job writes)."""
    pairs = array("b")
    for point in range(points):
        peak = int(20 + 100 * abs(math.sin(point / 15)))
        pairs.extend((-peak, peak))
    return Waveform(1, points, pairs.tobytes()).to_bytes()


def measure(app, album_id: int, album_values: tuple, songs: dict[int, dict]) -> None:
    """Write loudness and waveforms into the rows, as the analysis jobs do."""
    with app.app_context():
        album = db.session.get(Album, album_id)
        album.album_gain_db, album.album_peak = album_values
        for song_id, values in songs.items():
            for name, value in values.items():
                setattr(db.session.get(Song, song_id), name, value)
        db.session.commit()


def gain_is(page, expected: float) -> None:
    """The gain node's value (mirrored in the bar's data-gain) becomes `expected`."""
    wait_until(page.locator(BAR), f"b => Math.abs(Number(b.dataset.gain) - {expected}) < 1e-4")


def saved(response) -> bool:
    """Whether a response answers the page's save of its queue (and settings)."""
    return "/api/v1/playqueue" in response.url and response.request.method == "PUT"


def choose(page, label: str) -> None:
    """Open the sound panel (if closed) and click one of its choices."""
    if page.locator("#sound-panel").is_hidden():
        page.click("[data-player=sound]")
    page.click(f"#sound-panel label:has-text('{label}')")


@pytest.fixture
def loud_album(app, make_album):
    """An album (gain -4 dB, peak 0.9) of a song measured +6 dB with peak 0.8 (so its gain
    is held at 1/0.8 = 1.25) and a song not measured: (album id, [song ids])."""
    album_id, ids = make_album("Even", [("Measured", 1, 12.0), ("Unmeasured", 2, 12.0)])
    measure(app, album_id, (-4.0, 0.9), {ids[0]: {"track_gain_db": 6.0, "track_peak": 0.8}})
    return album_id, ids


def test_even_volume_sets_the_gain_and_is_remembered(browse_as, loud_album):
    """Track: 10^(6/20) held to 1/peak; remembered after a reload and on another device;
    Album: the album's gain (a song without its own values too); Off: 1."""
    album_id, ids = loud_album
    page, url = browse_as("Listener")
    page.goto(f"{url}/albums/show/{album_id}")
    page.get_by_role("button", name="Play album").click()
    wait_until(page.locator(AUDIO), playing(ids[0]))
    assert page.locator(BAR).get_attribute("data-gain") == "1"
    with page.expect_response(saved):
        choose(page, "Track")
    gain_is(page, 1.25)
    page.reload()
    page.click("[data-player=sound]")  # a gesture: the audio may start its context again
    assert page.get_by_role("radio", name="Track").is_checked()
    other, _ = browse_as("Listener")  # another device resumes the queue with its settings
    other.goto(f"{url}/albums/show/{album_id}")
    wait_until(other.locator("#player-bar"), "bar => bar.dataset.evenVolume === 'track'")
    other.click("[data-player=sound]")
    assert other.get_by_role("radio", name="Track").is_checked()
    other.close()
    page.click("[data-player=toggle]")
    wait_until(page.locator(AUDIO), "a => !a.paused")
    gain_is(page, 1.25)
    choose(page, "Album")
    gain_is(page, 10 ** (-4 / 20))
    page.click("[data-player=next]")  # no values of its own: the album's gain still
    wait_until(page.locator(AUDIO), playing(ids[1]))
    gain_is(page, 10 ** (-4 / 20))
    choose(page, "Track")
    gain_is(page, 1)
    choose(page, "Album")
    choose(page, "Off")
    gain_is(page, 1)
    assert page.locator(BAR).get_attribute("data-even-volume") == "off"


def test_the_waveform_is_the_seek_bar_by_pointer_and_keys(app, browse_as, make_album):
    """A song with a waveform: drawn in place of the range input; a click at half way goes
    to half the song; End, arrows and Home move it, aria-valuenow follows; the song page's
    waveform seeks too. A song without one keeps the range input, its page no waveform."""
    album_id, ids = make_album("Seen", [("Drawn", 1, 12.0), ("Undrawn", 2, 3.0)])
    measure(app, album_id, (None, None), {ids[0]: {"waveform": drawn()}})
    page, url = browse_as("Listener", viewport={"width": 390, "height": 844})
    page.goto(f"{url}/songs/show/{ids[0]}")
    page.click(f".play-button[data-song='{ids[0]}']")
    player, wave = page.locator(AUDIO), page.locator(WAVE)
    wait_until(player, playing(ids[0]))
    wait_until(wave, "w => !w.hidden && w.getAttribute('aria-valuemax') === '12'")
    assert page.locator("[data-player=seek]").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sideways
    box = wave.bounding_box()
    wave.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    wait_until(player, "a => Math.abs(a.currentTime - 6) < 0.6")
    wait_until(wave, "w => Math.abs(Number(w.getAttribute('aria-valuenow')) - 6) <= 1")
    assert " of 0:12" in wave.get_attribute("aria-valuetext")
    wave.press(" ")  # paused: from here only the keys move the time
    wait_until(player, "a => a.paused")
    wave.press("End")
    wait_until(player, "a => a.currentTime > 11.5")
    wave.press("ArrowLeft")
    wait_until(player, "a => Math.abs(a.currentTime - 7) < 0.6")
    wait_until(wave, "w => w.getAttribute('aria-valuenow') === '7'")
    wave.press("ArrowRight")
    wait_until(player, "a => a.currentTime > 11.5")
    wave.press("Home")
    wait_until(player, "a => a.currentTime < 0.5")
    on_page = page.locator(".waveform-page")
    assert on_page.get_attribute("role") == "slider"
    box = on_page.bounding_box()
    on_page.click(position={"x": box["width"] * 0.75, "y": box["height"] / 2})
    wait_until(player, "a => Math.abs(a.currentTime - 9) < 0.6")
    page.goto(f"{url}/songs/show/{ids[1]}")
    wait_until(page.locator(".waveform-page"), "w => w.closest('tr').hidden")
    page.click(f".play-button[data-song='{ids[1]}']")
    wait_until(player, playing(ids[1]))
    assert page.locator("[data-player=seek]").is_visible()
    assert wave.is_hidden()


def test_data_saver_streams_the_smaller_profile_where_the_song_was(browse_as, make_album):
    """On: the song goes on from its place at ?profile=opus-96; off: the file again; on
    again: remembered after a reload and on another device."""
    album_id, ids = make_album("Saved", [("Long", 1, 20.0)])
    page, url = browse_as("Listener")
    page.goto(f"{url}/albums/show/{album_id}")
    page.click(f".play-button[data-song='{ids[0]}']")
    player = page.locator(AUDIO)
    wait_until(player, "a => a.currentTime > 1.5")
    page.click("[data-player=sound]")
    page.get_by_label("Data saver").check()
    wait_until(player, "a => a.currentSrc.includes('profile=opus-96') && a.currentTime > 1.5")
    assert page.locator(BAR).get_attribute("data-data-saver") == "true"
    page.get_by_label("Data saver").uncheck()
    wait_until(player, f"a => a.currentSrc.endsWith('/songs/stream/{ids[0]}')")
    with page.expect_response(saved):
        page.get_by_label("Data saver").check()
    wait_until(player, "a => a.currentSrc.includes('profile=')")
    page.reload()
    wait_until(player, "a => a.currentSrc.includes('profile=opus-96')")
    other, _ = browse_as("Listener")
    other.goto(f"{url}/albums/show/{album_id}")
    wait_until(other.locator(AUDIO), "a => a.currentSrc.includes('profile=opus-96')")
    other.click("[data-player=sound]")
    assert other.get_by_label("Data saver").is_checked()
