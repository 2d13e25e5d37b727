"""Admins' list of every live share link (Security menu, "Share links"): what it shows,
its revoke button, and that nobody else reaches it."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import SetlistShare
from tests.setlists.sharing_building import create_link, setlist_of

LIST = "/setlists/share-links/"


def test_admins_see_every_live_link_and_revoke_one(app, login_as, world, people):
    """Live links of several owners are listed with setlist, owner and dates; an expired
    and a revoked one are not; the admin's revoke closes the link."""
    owner, admin = login_as("Listener"), login_as("Admin")
    kept = create_link(owner, world.setlist_id, expires_days="7")
    expired = create_link(owner, world.setlist_id)
    with app.app_context():
        admins_own = setlist_of(people["admin"], "Admin's own", world.song_ids)
        admins_id = admins_own.id
        expired_id = db.session.scalars(
            select(SetlistShare.id).order_by(SetlistShare.id.desc())
        ).first()
        db.session.execute(
            update(SetlistShare)
            .where(SetlistShare.id == expired_id)
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
        db.session.commit()
    mine = create_link(admin, admins_id)
    page = admin.get(LIST)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("setlist-share-revoke") == 2
    assert "Road trip" in html
    assert "Admin&#39;s own" in html or "Admin's own" in html
    assert kept.rsplit("/", 1)[1][:6] in html
    assert expired.rsplit("/", 1)[1][:6] not in html
    # Whole tokens are never listed.
    assert kept.rsplit("/", 1)[1] not in html
    assert mine.rsplit("/", 1)[1] not in html

    with app.app_context():
        kept_id = db.session.scalars(
            select(SetlistShare.id).where(SetlistShare.token_prefix == kept.rsplit("/", 1)[1][:6])
        ).one()
    answer = admin.submit(LIST, {}, post_url=f"{LIST}revoke/{kept_id}")
    assert answer.status_code == 302
    assert app.test_client().get(kept).status_code == 404
    assert admin.get(LIST).get_data(as_text=True).count("setlist-share-revoke") == 1
    # Revoking it again: no such live link.
    assert admin.submit(LIST, {}, post_url=f"{LIST}revoke/{kept_id}").status_code == 404


def test_the_list_is_in_the_security_menu_for_admins_only(app, login_as, world):
    """Admins find it in the menu; listeners and editors neither see nor open it."""
    admin = login_as("Admin")
    assert LIST in admin.get("/").get_data(as_text=True)
    for role in ("Listener", "Editor"):
        person = login_as(role)
        assert LIST not in person.get("/").get_data(as_text=True)
        assert person.get(LIST).status_code in (302, 403, 404)
        assert person.api("POST", f"{LIST}revoke/1").status_code in (302, 403, 404)
    assert app.test_client().get(LIST).status_code in (302, 401, 403)


def test_the_list_says_when_sharing_is_off(app, login_as, world, monkeypatch):
    """With CATALOG_SHARING off the admins' list says that no link opens."""
    monkeypatch.setitem(app.config, "CATALOG_SHARING", False)
    html = login_as("Admin").get(LIST).get_data(as_text=True)
    assert "Sharing is off" in html


@pytest.mark.parametrize("page", ["0", "-1", "x", "99999999999999999999"])
def test_odd_pages_of_the_list_are_404(login_as, page):
    """A page number that is no page answers 404, never a server error."""
    assert login_as("Admin").get(f"{LIST}?page={page}").status_code == 404
