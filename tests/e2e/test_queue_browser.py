"""The play queue in a real Chromium: it is the player's, not the page's, and outlives pages."""

import pytest

from tests.e2e.browsing import wait_until
from tests.e2e.queueing import AUDIO, carried_on, go, place, playing

pytestmark = pytest.mark.browser
QUEUE = "/api/v1/playqueue"


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


def test_a_new_tab_left_before_the_saved_queue_came_keeps_it(browse_as, make_album):
    """A tab left before the user's saved queue reached it saves nothing over that queue
    and keeps no blank one of its own: its next page resumes the saved queue."""
    album_id, ids = make_album("Far Room", [("Far one", 1, 30), ("Far two", 2, 30)])
    laptop, url = browse_as("Listener")
    laptop.goto(f"{url}/albums/show/{album_id}")
    laptop.get_by_role("button", name="Play album").click()
    wait_until(laptop.locator(AUDIO), playing(ids[0]))
    with laptop.expect_response(lambda r: QUEUE in r.url and r.request.method == "PUT"):
        laptop.locator("[data-player=toggle]").click()

    phone, _ = browse_as("Listener")
    saves = []  # the phone's home page may save the queue it took, with its own place
    phone.on("request", lambda r: QUEUE in r.url and r.method == "PUT" and saves.append(r))
    # The saved queue is slow to come on the first pages (here it never does)...
    phone.route(lambda address: QUEUE in address, lost_get)
    phone.goto(f"{url}/authors/list/")
    go(phone, f"{url}/albums/list/")  # ...and the person moves on before it does
    assert phone.locator("#player-bar").is_hidden()
    phone.unroute_all()
    go(phone, f"{url}/songs/list/")
    wait_until(phone.locator(AUDIO), f"a => a.src.endsWith('/songs/stream/{ids[0]}')")
    assert phone.locator(".player-title").inner_text() == "Far one"
    blank = [save.post_data for save in saves if '"songs":[]' in save.post_data]
    assert not blank, blank


def lost_get(route) -> None:
    """Lose the queue's GET on its way (as a slow network does for a while); let saves by."""
    if route.request.method == "GET":
        route.abort()
    else:
        route.continue_()
