"""A listener's own heart, stars and plays in a real Chromium: by mouse and keyboard, kept
across pages, a play reported once per start of a track after half of it; screenshots."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.listening import plays
from app.models import Album, SongMark, SongPlay
from tests.e2e.browsing import shots_folder, wait_until

pytestmark = pytest.mark.browser

#: Whether every heart and star button of the grid of covers lies within its card.
INSIDE_THEIR_CARDS = """() => [...document.querySelectorAll('.as-grid tbody tr')].every(card => {
  const edge = card.getBoundingClientRect().right;
  return [...card.querySelectorAll('.mine button')].every(
    button => button.getBoundingClientRect().right <= edge);
})"""
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def kept(app, model, *columns):
    """The rows of a listener-data table, as tuples of the columns asked for."""
    with app.app_context():
        rows = db.session.execute(select(*(getattr(model, name) for name in columns))).all()
        db.session.remove()
        return [tuple(row) for row in rows]


def test_heart_and_stars_by_mouse_and_keyboard(app, browse_as, make_album):
    """Click a heart, rate by keyboard (Enter, arrows), clear by choosing the same star; the
    page after a reload shows what the server kept."""
    _album, ids = make_album("Hearts", [(f"Heart song {n}", n, 5) for n in range(1, 4)])
    page, url = browse_as("Listener")
    page.goto(f"{url}/songs/list/")
    heart = page.get_by_role("button", name="Favourite: Heart song 2")
    heart.click()
    wait_until(heart, "b => b.getAttribute('aria-pressed') === 'true'")
    rating = page.get_by_role("group", name="Your rating: Heart song 3")
    rating.get_by_role("button", name="3 of 5 stars").focus()
    page.keyboard.press("Enter")
    three = rating.get_by_role("button", name="3 of 5 stars")
    wait_until(three, "b => b.getAttribute('aria-pressed') === 'true'")
    page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")
    four = rating.get_by_role("button", name="4 of 5 stars")
    wait_until(four, "b => b.getAttribute('aria-pressed') === 'true'")
    assert sorted(kept(app, SongMark, "song_id", "rating")) == [(ids[1], None), (ids[2], 4)]
    page.reload()
    page.get_by_role("button", name="Favourite: Heart song 2").wait_for()
    assert heart.get_attribute("aria-pressed") == "true"
    assert rating.locator(".mine-rate.on").count() == 4
    four.click()  # the rating already chosen: cleared
    wait_until(rating, "g => g.querySelectorAll('.mine-rate.on').length === 0")
    song_page = f"{url}/songs/show/{ids[1]}"
    page.goto(song_page)
    assert (
        page.get_by_role("button", name="Favourite: Heart song 2").get_attribute("aria-pressed")
        == "true"
    )


def test_a_play_is_reported_once_per_start_after_half_the_song(app, browse_as, make_album):
    """A 4-second song counts after 2 s heard, once: seeking back does not count it again;
    starting it again from the list does."""
    _album, ids = make_album("Plays", [("Short play", 1, 4.0)])
    page, url = browse_as("Listener")
    page.goto(f"{url}/songs/list/")
    page.get_by_role("button", name="Play: Short play").click()
    player = page.locator("#player-bar audio")
    wait_until(player, "a => a.currentTime > 2.5", seconds=20)
    for _ in range(100):
        if kept(app, SongPlay, "song_id", "play_count"):
            break
        page.wait_for_timeout(100)
    assert kept(app, SongPlay, "song_id", "play_count") == [(ids[0], 1)]
    player.evaluate("a => { a.currentTime = 0; return a.play(); }")
    wait_until(player, "a => a.ended", seconds=20)
    assert kept(app, SongPlay, "song_id", "play_count") == [(ids[0], 1)]
    page.get_by_role("button", name="Play: Short play").click()
    wait_until(player, "a => a.ended", seconds=20)
    page.wait_for_timeout(500)
    assert kept(app, SongPlay, "song_id", "play_count") == [(ids[0], 2)]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", sorted(SIZES))
def test_hearts_and_stars_fit_light_and_dark(
    app, users, browse_as, make_album, tmp_path, size, scheme
):
    """The song, album and author lists, a song's, an album's and an author's page, My music's
    lists and the home page with hearts and stars: within the screen's width; shot for review."""
    album, ids = make_album("Shown", [(f"Shown song {n}", n, 5) for n in range(1, 4)])
    page, url = browse_as("Listener", viewport=SIZES[size], color_scheme=scheme)
    folder = shots_folder(tmp_path)
    with app.app_context():
        author = db.session.get(Album, album).author_id
        listener = app.appbuilder.sm.find_user(username=users["Listener"]).id
        plays.record_play(db.session, listener, ids[1])  # for the home page's two lists
        db.session.commit()
        db.session.remove()
    pages = {
        "songs": "/songs/list/",
        "song": f"/songs/show/{ids[0]}",
        "album": f"/albums/show/{album}",
        "author": f"/authors/show/{author}",
        "favourites": "/my/favourites/song/",  # the song starred on the list's page
        "albums": "/albums/list/",
        "authors": "/authors/list/",
        "favourite-albums": "/my/favourites/album/list/",  # starred on its page above
        "favourite-authors": "/my/favourites/author/list/",
        "recent": "/my/recent/list/",
        "most": "/my/most/list/",
        "home": "/",
    }
    for name, address in pages.items():
        page.goto(url + address)
        if name == "home":  # its song rows carry the hearts given on the pages above
            recent = page.locator("[aria-labelledby=home-recently-played]")
            assert recent.locator(".mine[data-starred=true]").count() == 1
            shoot(page, folder, name, size, scheme)
            continue
        box = page.locator(".mine").first
        # A row already starred and rated on an earlier page (the song) stays so.
        if box.get_attribute("data-starred") != "true":
            box.locator(".mine-star").click()
        wait_until(box.locator(".mine-star"), "b => b.getAttribute('aria-pressed') === 'true'")
        if box.get_attribute("data-rating") != "3":
            box.locator(".mine-rate").nth(2).click()
        wait_until(box, "m => m.querySelectorAll('.mine-rate.on').length === 3")
        shoot(page, folder, name, size, scheme)
        if name == "albums":  # as a grid of covers too: the hearts fit a card
            page.locator("[data-layout=grid]").click()
            assert page.evaluate(INSIDE_THEIR_CARDS), "a heart or star sticks out of its card"
            shoot(page, folder, "albums-grid", size, scheme)
            page.locator("[data-layout=table]").click()


def shoot(page, folder, name: str, size: str, scheme: str) -> None:
    """Check the page fits the screen's width, and keep its screenshot for review."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"{name} is wider than the screen"
    page.screenshot(path=str(folder / f"listener-marks-{name}-{size}-{scheme}.png"))
