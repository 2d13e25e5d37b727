"""Share by link in a real Chromium: the owner makes a link on the setlist's page and copies
it; a fresh browser context (no account, no cookie) opens it and plays a song; the owner
revokes it and the stranger's reload is a 404. Screenshots of both pages, light and dark,
phone and desktop, go to SCREENSHOTS when it is set."""

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Setlist, SetlistEntry
from app.setlists import sharing
from tests.e2e.browsing import wait_until
from tests.setlists.sharing_building import shared_world

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def world(app, upload_folder, users, own_account):
    """The listener's private setlist "Road trip" of two stored songs."""
    with app.app_context():
        sm = app.appbuilder.sm
        owner = sm.find_user(username=users["Listener"]).id
        other = sm.find_user(username=own_account).id
        return shared_world(upload_folder, owner, other)


def shoot(page, name: str) -> None:
    """Save a screenshot (a page's whole length, or one element) when SCREENSHOTS names a
    folder."""
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        options = {"full_page": True} if hasattr(page, "goto") else {}
        page.screenshot(path=str(Path(folder) / f"{name}.png"), **options)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_owner_shares_and_a_stranger_plays(browse_as, chromium, world, size):
    """Owner: setlist page, "Create a link", the link shown once with a copy button.
    Stranger (fresh context): the page, Play on the first song, the audio plays through
    the link's stream; no cookie set. Owner revokes; the stranger's reload is a 404."""
    page, url = browse_as("Listener", viewport=SIZES[size])
    page.goto(f"{url}/setlists/show/{world.setlist_id}")
    section = page.locator(".setlist-shares")
    section.get_by_label("Allow downloads").check()
    section.get_by_role("button", name="Create a link").click()
    link = page.locator("#share-link").input_value()
    assert f"{url}/shared/" in link
    copy = page.locator("[data-copy-from]")
    copy.click()
    wait_until(copy, "b => b.textContent.includes('Copied')")
    shoot(page, f"share-created-{size}")

    for scheme in ("light", "dark"):
        stranger = chromium.new_context(viewport=SIZES[size], color_scheme=scheme)
        visitor = stranger.new_page()
        answer = visitor.goto(link)
        assert answer.status == 200
        assert visitor.get_by_role("heading", name="Road trip").is_visible()
        visitor.get_by_role("button", name="Play Song 0 tone.ogg").click()
        player = visitor.locator(".shared-player audio")
        first = world.entry_ids[0]
        wait_until(
            player,
            f"a => a.src.endsWith('/stream/{first}') && !a.paused && a.currentTime > 0.3",
        )
        shoot(visitor, f"shared-page-{scheme}-{size}")
        assert stranger.cookies() == []
        stranger.close()

    page.goto(f"{url}/setlists/show/{world.setlist_id}")
    page.emulate_media(color_scheme="light")
    shoot(page.locator(".setlist-shares"), f"share-section-light-{size}")
    page.emulate_media(color_scheme="dark")
    shoot(page.locator(".setlist-shares"), f"share-section-dark-{size}")
    page.locator(".setlist-shares").get_by_role("button", name="Revoke").click()
    page.wait_for_load_state()
    assert "No live links." in page.locator(".setlist-shares").inner_text()

    late = chromium.new_context().new_page()
    assert late.goto(link).status == 404


@pytest.mark.parametrize("size", sorted(SIZES))
def test_admins_list_of_links(app, browse_as, world, size):
    """The admin finds "Share links" in the Security menu's address and sees the owner's
    live link, revocable, at each size."""
    with app.app_context():
        sharing.create(db.session, db.session.get(Setlist, world.setlist_id), None)
        db.session.commit()
    page, url = browse_as("Admin", viewport=SIZES[size])
    page.goto(f"{url}/setlists/share-links/")
    assert "Road trip" in page.locator(".setlist-shares-table").inner_text()
    assert page.get_by_role("button", name="Revoke").is_visible()
    shoot(page, f"share-admin-{size}")


def test_the_shared_player_goes_on_past_the_page(app, browse_as, chromium, world):
    """Playing the last row of page 1 of a 51-entry setlist, the player goes on to entry 51,
    which only page 2 shows: fetched as JSON, no cookie."""
    with app.app_context():
        setlist = db.session.get(Setlist, world.setlist_id)
        for number in range(3, 52):
            db.session.add(
                SetlistEntry(
                    setlist_id=setlist.id, song_id=world.song_ids[0], position=number * 1024
                )
            )
        db.session.commit()
        ordered = db.session.scalars(
            select(SetlistEntry.id)
            .where(SetlistEntry.setlist_id == setlist.id)
            .order_by(SetlistEntry.position)
        ).all()
        token = sharing.create(db.session, setlist, None).token
        db.session.commit()
    _page, url = browse_as("Listener")  # starts the live server
    stranger = chromium.new_context()
    visitor = stranger.new_page()
    visitor.goto(f"{url}/shared/{token}")
    rows = visitor.locator(".shared-entries tbody tr")
    assert rows.count() == 50
    rows.nth(49).locator(".shared-play").click()
    player = visitor.locator(".shared-player audio")
    wait_until(player, f"a => a.src.endsWith('/stream/{ordered[49]}') && !a.paused")
    wait_until(
        player,
        f"a => a.src.endsWith('/stream/{ordered[50]}') && !a.paused && a.currentTime > 0.3",
        seconds=20,
    )
    assert stranger.cookies() == []
    stranger.close()
