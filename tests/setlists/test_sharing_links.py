"""Share links, as the owner makes them and a stranger opens them: what a link opens (its
setlist's page and songs, nothing else), downloads only when ticked, expiry, revocation,
sharing off, and what the database and the log keep of a token."""

import hashlib
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import Setlist, SetlistShare
from tests.setlists.sharing_building import create_link


@pytest.fixture
def stranger(app):
    """A fresh client: no account, no cookie."""
    return app.test_client()


def test_a_link_opens_its_setlist_and_streams_its_songs_only(owner, stranger, world, app):
    """The journey: the owner makes a link; a stranger opens the page, plays the first song
    in ranges (206), and gets 404 for any other song id, another setlist's entry id, the
    catalog's own stream of the same song, and the page of the setlist itself."""
    link = create_link(owner, world.setlist_id)
    page = stranger.get(link)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Road trip" in html
    assert "2 songs" in html
    assert "Song 0 tone.ogg" in html
    assert "Song 1 morning-light.mp3" in html
    # Nothing leads into the catalog, and no song id is on the page.
    assert "/songs/" not in html
    assert "/albums/" not in html
    assert "/setlists/" not in html
    assert "login" not in html.lower()

    first, second = world.entry_ids
    played = stranger.get(f"{link}/stream/{first}", headers={"Range": "bytes=0-99"})
    assert played.status_code == 206
    assert len(played.data) == 100
    assert played.headers["Content-Range"].startswith("bytes 0-99/")
    assert stranger.get(f"{link}/stream/{second}").status_code == 200

    wrong_ids = (world.other_entry_id, *world.song_ids, world.other_song_id, 2**40, 0)
    assert not set(wrong_ids) & set(world.entry_ids)
    for wrong in wrong_ids:
        assert stranger.get(f"{link}/stream/{wrong}").status_code == 404, wrong
    # The link is no key to the rest of the site.
    assert stranger.get(f"/songs/stream/{world.song_ids[0]}").status_code in (302, 401, 403)
    assert stranger.get(f"/setlists/show/{world.setlist_id}").status_code in (302, 401, 403, 404)
    # No session was needed, and none was made.
    assert "Set-Cookie" not in page.headers
    assert "Set-Cookie" not in played.headers


def test_making_a_link_shares_a_private_setlist_by_link(owner, world, app):
    """A private setlist becomes "link"; making it private again closes its links."""
    link = create_link(owner, world.setlist_id)
    with app.app_context():
        assert db.session.get(Setlist, world.setlist_id).visibility == "link"
        db.session.execute(
            update(Setlist).where(Setlist.id == world.setlist_id).values(visibility="private")
        )
        db.session.commit()
    assert app.test_client().get(link).status_code == 404


def test_the_database_keeps_only_the_tokens_hash(owner, world, app):
    """The token is nowhere in the table: its SHA-256 and six characters are."""
    link = create_link(owner, world.setlist_id)
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 22  # 128 bits in URL-safe base64; it has 256
    with app.app_context():
        share = db.session.scalars(select(SetlistShare)).one()
        stored = [str(getattr(share, column.key)) for column in SetlistShare.__table__.columns]
    assert share.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert share.token_prefix == token[:6]
    assert not any(token in value for value in stored)


def test_downloads_only_when_ticked(owner, world, app):
    """Without the tick there is no download, by link or address; with it, an attachment."""
    first = world.entry_ids[0]
    plain = create_link(owner, world.setlist_id)
    visitor = app.test_client()
    assert "download" not in visitor.get(plain).get_data(as_text=True).lower()
    assert visitor.get(f"{plain}/download/{first}").status_code == 404

    ticked = create_link(owner, world.setlist_id, allow_download="y")
    assert f"/download/{first}" in visitor.get(ticked).get_data(as_text=True)
    got = visitor.get(f"{ticked}/download/{first}")
    assert got.status_code == 200
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert visitor.get(f"{ticked}/download/{world.other_entry_id}").status_code == 404


def test_an_expired_link_is_a_plain_404(owner, world, app):
    """Past its expiry, the page and the streams answer as an unknown link does."""
    link = create_link(owner, world.setlist_id, expires_days="1")
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    with app.app_context():
        db.session.execute(
            update(SetlistShare).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
    unknown = visitor.get("/shared/" + "A" * 43)
    expired = visitor.get(link)
    assert expired.status_code == unknown.status_code == 404
    assert expired.get_data(as_text=True).count("Road trip") == 0
    assert visitor.get(f"{link}/stream/{world.entry_ids[0]}").status_code == 404
    # The owner's section no longer lists it.
    section = owner.get(f"/setlists/shares/{world.setlist_id}/").get_data(as_text=True)
    assert "No live links." in section


def test_an_expiry_date_and_its_refusals(owner, world, app):
    """A date ends the link at the end of that day; a past date or nonsense is refused."""
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    create_link(owner, world.setlist_id, expires_on=tomorrow.isoformat())
    with app.app_context():
        share = db.session.scalars(select(SetlistShare)).one()
        assert share.expires_at.date() == tomorrow
    url = f"/setlists/shares/{world.setlist_id}/"
    for bad in ({"expires_on": "2001-01-01"}, {"expires_on": "soon"}, {"expires_days": "3"}):
        answer = owner.submit(url, bad, post_url=url + "create")
        assert answer.status_code == 302, bad
        assert answer.headers["Location"].endswith(url)
    with app.app_context():
        assert len(db.session.scalars(select(SetlistShare)).all()) == 1


def test_a_revoked_link_opens_nothing(owner, world, app):
    """The owner revokes the link from its section; it is then a plain 404 everywhere."""
    link = create_link(owner, world.setlist_id)
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    with app.app_context():
        share_id = db.session.scalars(select(SetlistShare.id)).one()
    url = f"/setlists/shares/{world.setlist_id}/"
    revoked = owner.submit(url, {}, post_url=f"{url}revoke/{share_id}")
    assert revoked.status_code == 302
    assert visitor.get(link).status_code == 404
    assert visitor.get(f"{link}/stream/{world.entry_ids[0]}").status_code == 404
    assert "No live links." in owner.get(url).get_data(as_text=True)


def test_only_who_may_edit_makes_or_revokes_links(owner, world, app, login_as):
    """Another listener can neither see the owner's links nor make or revoke one (404)."""
    create_link(owner, world.setlist_id)
    with app.app_context():
        share_id = db.session.scalars(select(SetlistShare.id)).one()
    other = login_as("Editor")  # an editor, yet the setlist is not in the catalog
    url = f"/setlists/shares/{world.setlist_id}/"
    assert other.get(url).status_code == 404
    # With a valid CSRF token (the header a page's script sends), still nothing.
    assert other.api("POST", url + "create").status_code == 404
    assert other.api("POST", f"{url}revoke/{share_id}").status_code == 404
    anonymous = app.test_client()
    assert anonymous.post(url + "create").status_code in (302, 400, 401, 403)
    with app.app_context():
        assert db.session.get(SetlistShare, share_id).revoked_at is None


def test_sharing_off_hides_creation_and_closes_every_link(owner, world, app, monkeypatch):
    """CATALOG_SHARING=False: links 404 as unknown ones do; the section and routes vanish."""
    link = create_link(owner, world.setlist_id)
    monkeypatch.setitem(app.config, "CATALOG_SHARING", False)
    assert app.test_client().get(link).status_code == 404
    assert app.test_client().get(f"{link}/stream/{world.entry_ids[0]}").status_code == 404
    assert owner.get(f"/setlists/shares/{world.setlist_id}/").status_code == 404
    monkeypatch.setitem(app.config, "CATALOG_SHARING", True)
    assert app.test_client().get(link).status_code == 200


def test_a_token_never_reaches_the_request_log(owner, world, app, caplog):
    """The request log shows the route's pattern for a link's pages and streams."""
    link = create_link(owner, world.setlist_id)
    token = link.rsplit("/", 1)[1]
    with caplog.at_level(logging.INFO, logger="app.requests"):
        app.test_client().get(link)
        app.test_client().get(f"{link}/stream/{world.entry_ids[0]}")
        app.test_client().get(link + "x")
    lines = [record.getMessage() for record in caplog.records if record.name == "app.requests"]
    assert any("/shared/<token>" in line for line in lines)
    assert not any(token in line or token[:20] in line for line in lines)


def test_last_use_is_written_once_a_minute(owner, world, app):
    """Opening the page and playing write the last use once, not on every request."""
    link = create_link(owner, world.setlist_id)
    visitor = app.test_client()
    with app.app_context():
        assert db.session.scalars(select(SetlistShare.last_used_at)).one() is None
    visitor.get(link)
    with app.app_context():
        first = db.session.scalars(select(SetlistShare.last_used_at)).one()
    assert first is not None
    visitor.get(f"{link}/stream/{world.entry_ids[0]}")
    visitor.get(link)
    with app.app_context():
        assert db.session.scalars(select(SetlistShare.last_used_at)).one() == first
    section = owner.get(f"/setlists/shares/{world.setlist_id}/").get_data(as_text=True)
    assert "Not yet" not in section
