"""The player bar in a real Chromium: one player, the page as its queue, keys and carry-over."""

import io

import pytest

from app.extensions import db
from app.media.file_store import LocalStore, content_sha256
from app.models import Song
from tests.e2e.browsing import wait_until
from tests.support.apps import AUDIO

pytestmark = pytest.mark.browser


@pytest.fixture
def second_track(app, upload_folder, song) -> int:
    """Track 2 of the fixture song's album (which becomes track 1): a FLAC tone."""
    storage = LocalStore(upload_folder)
    content = (AUDIO / "tone.flac").read_bytes()
    stored = storage.save(io.BytesIO(content), "tone.flac")
    with app.app_context():
        db.session.get(Song, song.id).track_number = 1
        flac = Song(
            title="Tone in FLAC",
            album_id=song.album_id,
            track_number=2,
            audio_file=stored,
            original_filename="tone.flac",
            duration=3.0,
            sha256=content_sha256(io.BytesIO(content)),
            mime_type="audio/flac",
            audio_format="FLAC",
        )
        db.session.add(flac)
        db.session.commit()
        return flac.id


def playing(player, song_id: int) -> str:
    """A condition: the bar plays this song and its time moves."""
    return f"a => a.src.endsWith('/songs/stream/{song_id}') && !a.paused && a.currentTime > 0.3"


def test_play_album_plays_the_tracks_in_order_in_one_player(browse_as, song, second_track):
    """One player for the page; at the end of track 1, track 2 starts; space pauses."""
    page, url = browse_as("Listener")
    page.goto(f"{url}/albums/show/{song.album_id}")
    assert page.locator("audio").count() == 1  # the bar's, not one per row
    page.get_by_role("button", name="Play album").click()
    player = page.locator("#player-bar audio")
    wait_until(player, playing(player, song.id))
    assert page.locator(".player-title").inner_text() == "Tone in Vorbis"
    assert "Test Tones" in page.locator(".player-detail").inner_text()
    wait_until(player, playing(player, second_track), seconds=20)
    assert page.locator(".player-title").inner_text() == "Tone in FLAC"
    row_button = page.locator(f".play-button[data-play='/songs/stream/{second_track}']")
    assert row_button.get_attribute("aria-pressed") == "true"
    page.locator("body").press(" ")
    wait_until(player, "a => a.paused")
    # The button follows the audio's pause event, a moment after `paused` turns true.
    wait_until(row_button, "b => b.getAttribute('aria-pressed') === 'false'")


def test_a_row_button_starts_there_and_next_and_previous_move_in_the_list(
    browse_as, song, second_track
):
    """From the song list: play a row, then Next and Previous walk the page's queue."""
    page, url = browse_as("Listener")
    page.goto(f"{url}/songs/list/?_oc_SongModelView=track_number&_od_SongModelView=asc")
    page.click(f".play-button[data-play='/songs/stream/{song.id}']")
    player = page.locator("#player-bar audio")
    wait_until(player, playing(player, song.id))
    page.click("[data-player=next]")
    wait_until(player, playing(player, second_track))
    page.click("[data-player=previous]")  # within 3 s of the start: the previous song
    wait_until(player, playing(player, song.id))


def test_the_song_carries_over_to_the_next_page(browse_as, song, second_track):
    """Opening another page keeps the song in the bar, at the time it had reached."""
    page, url = browse_as("Listener")
    page.goto(f"{url}/albums/show/{song.album_id}")
    page.click(f".play-button[data-play='/songs/stream/{second_track}']")
    player = page.locator("#player-bar audio")
    wait_until(player, "a => a.currentTime > 1")
    page.click(f"a[href='/songs/show/{second_track}']")
    page.wait_for_url(f"{url}/songs/show/{second_track}")
    assert page.locator(".player-title").inner_text() == "Tone in FLAC"
    carried = f"a => a.src.endsWith('/songs/stream/{second_track}') && a.currentTime > 1"
    wait_until(player, carried)


def test_question_mark_lists_the_shortcuts_and_the_keys_work(browse_as, song, second_track):
    """ "?" opens the shortcuts; "." plays the next song of the page."""
    page, url = browse_as("Listener")
    page.goto(f"{url}/albums/show/{song.album_id}")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert dialog.is_visible()
    assert "Play or pause" in dialog.inner_text()
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    page.get_by_role("button", name="Play album").click()
    player = page.locator("#player-bar audio")
    wait_until(player, playing(player, song.id))
    page.locator("body").press(".")
    wait_until(player, playing(player, second_track))
