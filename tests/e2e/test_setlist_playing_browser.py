"""Playing a setlist and a long album in a real Chromium: the whole source queued, a page at
a time (from "Play setlist" or from any entry's row), shuffle and repeat over all of it, the
place shown in the queue panel, and the queue saved on the server as a page closes."""

import time
from pathlib import Path

import pytest

from app.extensions import db
from app.setlists import entries, rules
from tests.e2e.browsing import wait_until
from tests.e2e.queueing import AUDIO, SHOTS, go, place

pytestmark = pytest.mark.browser

PLACE = "#queue-panel .queue-source"
#: The queue panel's script (player.js loads it after the page) has set the panel up.
PANEL_READY = "b => b.querySelector('#queue-panel .queue-source') !== null"
#: Note every song the bar loads, in order, in window.heard (ids).
HEARD = """() => {
    window.heard = [];
    document.querySelector("#player-bar audio").addEventListener("loadstart", (event) => {
        const id = Number(event.target.src.split("/").pop());
        if (id && window.heard[window.heard.length - 1] !== id) { window.heard.push(id); }
    });
}"""


@pytest.fixture
def thirty(app, users, make_album) -> tuple[int, list[int]]:
    """A listener's setlist of 30 short tones, "Entry 01" to "Entry 30" in setlist order (their
    album runs the other way): (setlist id, song ids in setlist order)."""
    tracks = [(f"Entry {n:02}", 31 - n, 2.0) for n in range(1, 31)]
    _album_id, song_ids = make_album("Thirty", tracks)
    with app.app_context():
        owner = app.appbuilder.sm.find_user(username=users["Listener"])
        setlist = rules.create(db.session, owner.id, "Thirty in a row")
        entries.add_songs(db.session, setlist, song_ids, owner.id)
        db.session.commit()
        return setlist.id, song_ids


def sounding(song_id: int) -> str:
    """A condition on the bar's audio: it holds this song and is not paused."""
    return f"a => a.src.endsWith('/songs/stream/{song_id}') && !a.paused"


def now_playing(page) -> int:
    """The id of the song in the bar."""
    return int(page.locator(AUDIO).evaluate("a => a.src").rsplit("/", 1)[1])


def shoot(page, tmp_path, name: str) -> None:
    """Keep a screenshot to look at (PLAYER_SHOTS, else the test's folder)."""
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / name)


@pytest.mark.parametrize(
    ("size", "scheme"), [((1366, 900), "light"), ((390, 844), "dark")], ids=["desktop", "phone"]
)
def test_the_queue_crosses_the_page_boundary(browse_as, thirty, tmp_path, size, scheme):
    """Play setlist loads entries 1-25; Next on entry 25, before page two is in, waits for it
    and plays entry 26; the panel says where the queue is; it survives a page change."""
    setlist_id, ids = thirty
    width, height = size
    page, url = browse_as(
        "Listener", viewport={"width": width, "height": height}, color_scheme=scheme
    )
    held, asked = [], []

    def hold_the_second_page(route):
        """Keep the page after the first waiting until the test lets it go."""
        asked.append(route.request.url)
        if "offset=0" in route.request.url:
            route.continue_()
        else:
            held.append(route)

    page.route("**/api/v1/playqueue/setlists/**", hold_the_second_page)
    page.goto(f"{url}/setlists/show/{setlist_id}")
    page.get_by_role("button", name="Play setlist", exact=True).click()
    player = page.locator(AUDIO)
    wait_until(player, sounding(ids[0]))
    page.locator("[data-player=queue]").click()
    assert page.locator(".queue-item").count() == 25
    assert page.locator(PLACE).inner_text() == "Thirty in a row · 1 of 30"
    assert page.locator("[data-player=count]").inner_text() == "30"
    page.locator("#queue-panel").get_by_role("button", name="Play: Entry 25", exact=True).click()
    wait_until(player, sounding(ids[24]))
    assert page.locator(PLACE).inner_text() == "Thirty in a row · 25 of 30"
    page.locator("[data-player=toggle]").click()  # paused: only Next can move on
    wait_until(player, "a => a.paused")
    while not held:  # the next page is asked for as the end nears
        page.wait_for_timeout(50)
    assert "offset=25" in held[0].request.url
    page.click("[data-player=next]")  # the last track loaded: nothing to play yet
    page.wait_for_timeout(400)
    _time, paused, src = place(page)
    assert paused
    assert src.endswith(f"/songs/stream/{ids[24]}")
    held.pop().continue_()
    wait_until(player, sounding(ids[25]))
    assert page.locator(PLACE).inner_text() == "Thirty in a row · 26 of 30"
    assert page.locator(".queue-item.current .queue-song-title").inner_text() == "Entry 26"
    shoot(page, tmp_path, f"setlist-queue-{'desktop' if width > 800 else 'phone'}-{scheme}.png")
    page.goto(f"{url}/songs/list/")  # the queue and its source outlive the page
    page.locator("[data-player=queue]").click()
    assert page.locator(PLACE).inner_text() == "Thirty in a row · 26 of 30"
    page.click("[data-player=next]")
    wait_until(player, f"a => a.src.endsWith('/songs/stream/{ids[26]}')")
    assert [u.split("?")[1] for u in asked] == ["offset=0", "offset=25"]


def test_shuffle_plays_every_entry_once_and_repeat_goes_round(browse_as, thirty, tmp_path):
    """Shuffle plays all 30 entries, each once, from both pages; at the end Next stops with
    repeat off, starts another round with repeat all; repeat one plays the song again."""
    setlist_id, ids = thirty
    page, url = browse_as("Listener")
    page.goto(f"{url}/setlists/show/{setlist_id}")
    page.evaluate(HEARD)
    page.locator(".setlist-play").get_by_role("button", name="Shuffle").click()
    player = page.locator(AUDIO)
    wait_until(player, "a => a.src.includes('/songs/stream/') && !a.paused")
    page.locator("[data-player=queue]").click()
    assert page.locator("[data-queue-mode=shuffle]").get_attribute("aria-pressed") == "true"
    while len(page.evaluate("window.heard")) < 30:  # a song's end may move on as well
        heard = len(page.evaluate("window.heard"))
        page.click("[data-player=next]")
        wait_until(player, f"a => window.heard.length > {heard} && !a.paused")
        assert page.locator(PLACE).inner_text() == f"Thirty in a row · {heard + 1} of 30"
    played = page.evaluate("window.heard")
    assert sorted(played) == sorted(ids)  # every entry once, pages one and two alike
    assert played[:25] != ids[:25]
    page.click("[data-player=next]")  # repeat off: the end
    page.wait_for_timeout(400)
    assert now_playing(page) == played[-1]
    repeat = page.locator("[data-queue-mode=repeat]")
    repeat.click()
    assert repeat.get_attribute("aria-label") == "Repeat: the whole queue"
    page.click("[data-player=next]")  # another round, shuffled again
    wait_until(player, f"a => !a.src.endsWith('/songs/stream/{played[-1]}') && !a.paused")
    assert page.locator(PLACE).inner_text() == "Thirty in a row · 1 of 30"
    repeat.click()
    assert repeat.get_attribute("aria-label") == "Repeat: this song"
    again = now_playing(page)
    wait_until(player, "a => a.currentTime > 1.2")
    wait_until(player, "a => a.currentTime < 1 && !a.paused", seconds=6)  # it ended, again
    assert now_playing(page) == again
    shoot(page, tmp_path, "setlist-queue-shuffled.png")


def test_play_album_plays_a_long_album_past_its_first_page(browse_as, make_album):
    """An album of 120 tracks: the first 100 come at once, Next on the 100th plays the 101st."""
    tracks = [(f"Long {n:03}", n, 1.0) for n in range(1, 121)]
    album_id, ids = make_album("Very Long", tracks)
    page, url = browse_as("Listener")
    page.goto(f"{url}/albums/show/{album_id}")
    page.get_by_role("button", name="Play album").click()
    player = page.locator(AUDIO)
    wait_until(player, sounding(ids[0]))
    page.locator("[data-player=queue]").click()
    assert page.locator(PLACE).inner_text() == "Very Long · 1 of 120"
    assert page.locator(".queue-item").count() == 100
    page.locator("#queue-panel").get_by_role("button", name="Play: Long 100").click()
    wait_until(player, sounding(ids[99]))
    page.click("[data-player=next]")
    wait_until(player, sounding(ids[100]))
    page.locator("[data-player=toggle]").click()  # a song's end must not move on meanwhile
    assert page.locator(PLACE).inner_text() == "Very Long · 101 of 120"
    assert page.locator(".queue-item.current .queue-song-title").inner_text() == "Long 101"
    page.click("[data-player=next]")
    wait_until(player, sounding(ids[101]))
    assert page.locator(PLACE).inner_text() == "Very Long · 102 of 120"


def test_a_rows_play_queues_the_whole_setlist_from_that_entry(browse_as, thirty, tmp_path):
    """Play on entry 25 of page one, then Next, plays entry 26 from page two; Play on entry 27
    of page two starts the setlist there ("27 of 30"), Next plays entry 28."""
    setlist_id, ids = thirty
    page, url = browse_as("Listener")
    page.goto(f"{url}/setlists/show/{setlist_id}")
    player = page.locator(AUDIO)
    wait_until(page.locator("body"), PANEL_READY)
    page.locator("#entries").get_by_role("button", name="Play: Entry 25", exact=True).click()
    wait_until(player, sounding(ids[24]))
    page.locator("[data-player=toggle]").click()  # a song's end must not move on meanwhile
    page.locator("[data-player=queue]").click()
    assert page.locator(PLACE).inner_text() == "Thirty in a row · 25 of 30"
    assert page.locator("[data-player=count]").inner_text() == "30"
    page.click("[data-player=next]")  # page two comes as it plays
    wait_until(player, sounding(ids[25]))
    page.locator("[data-player=toggle]").click()
    assert page.locator(PLACE).inner_text() == "Thirty in a row · 26 of 30"
    assert page.locator(".queue-item.current .queue-song-title").inner_text() == "Entry 26"

    page.goto(f"{url}/setlists/show/{setlist_id}?entries_page=2")
    wait_until(page.locator("body"), PANEL_READY)
    page.locator("#entries").get_by_role("button", name="Play: Entry 27", exact=True).click()
    wait_until(player, sounding(ids[26]))
    page.locator("[data-player=toggle]").click()
    page.locator("[data-player=queue]").click()
    assert page.locator(PLACE).inner_text() == "Thirty in a row · 27 of 30"
    page.click("[data-player=next]")
    wait_until(player, sounding(ids[27]))
    assert page.locator(PLACE).inner_text() == "Thirty in a row · 28 of 30"
    shoot(page, tmp_path, "setlist-row-play-page-two.png")


def saved_queue(page, url: str) -> dict:
    """The queue the server keeps for the page's user (GET /api/v1/playqueue)."""
    answer = page.request.get(f"{url}/api/v1/playqueue", headers={"Accept": "application/json"})
    assert answer.ok, answer.status
    return answer.json()


def test_leaving_a_page_mid_song_saves_the_song_and_its_place(browse_as, make_album):
    """Next, then a jump to 0:20, then another page at once (before any timed save): the
    server's queue holds the second song at 0:20, saved as the first page closed."""
    album_id, ids = make_album("Closing Time", [("Close one", 1, 30), ("Close two", 2, 30)])
    page, url = browse_as("Listener")
    page.goto(f"{url}/albums/show/{album_id}")
    page.get_by_role("button", name="Play album").click()
    player = page.locator(AUDIO)
    wait_until(player, sounding(ids[0]) + " && a.currentTime > 0.3")
    page.wait_for_timeout(1500)  # the save after the queue changed has gone
    assert saved_queue(page, url)["position_ms"] < 5000
    page.click("[data-player=next]")
    wait_until(player, sounding(ids[1]) + " && a.readyState >= 1")
    player.evaluate("a => { a.currentTime = 20; }")  # no save of its own
    go(page, f"{url}/authors/list/")
    deadline = time.monotonic() + 8
    while True:
        saved = saved_queue(page, url)
        song = saved["songs"][saved["current"]]["id"] if saved["songs"] else None
        if song == ids[1] and saved["position_ms"] >= 19_500:
            break
        assert time.monotonic() < deadline, saved
        page.wait_for_timeout(200)
    assert [s["id"] for s in saved["songs"]] == ids
    assert saved["position_ms"] < 23_000
