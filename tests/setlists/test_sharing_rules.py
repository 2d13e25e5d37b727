"""Share links' rules, called as every door calls them (no requests): tokens, expiry,
visibility, how many links, last use written once a minute, what a token opens."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.models import Setlist, SetlistShare
from app.setlists import sharing
from app.setlists.rules import SetlistRefused

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def setlist(session, people) -> Setlist:
    """A private setlist of the owner's."""
    made = Setlist(name="Set", owner_id=people["owner"], visibility="private")
    session.add(made)
    session.commit()
    return made


def test_tokens_are_long_random_and_stored_as_hashes(session, setlist, people):
    """256 random bits in 43 URL-safe characters, different each time; the row keeps the
    SHA-256 and six characters, and opening by the token finds it."""
    made = [sharing.create(session, setlist, people["owner"]) for _ in range(3)]
    tokens = {created.token for created in made}
    assert len(tokens) == 3
    assert all(sharing.TOKEN_SHAPE.fullmatch(token) for token in tokens)
    assert sharing.TOKEN_BYTES * 8 >= 128
    for created in made:
        assert created.share.token_hash == sharing.token_hash(created.token)
        assert sharing.opened(session, created.token).id == created.share.id
    assert sharing.opened(session, "A" * 43) is None
    assert sharing.opened(session, None) is None


def test_a_link_shares_a_private_setlist_and_leaves_a_catalog_one(session, setlist, people):
    """Private becomes "link"; a catalog setlist stays in the catalog."""
    sharing.create(session, setlist, people["owner"])
    assert setlist.visibility == "link"
    published = Setlist(name="Pub", owner_id=people["editor"], visibility="catalog")
    session.add(published)
    session.flush()
    sharing.create(session, published, people["editor"])
    assert published.visibility == "catalog"


def test_a_private_setlist_closes_its_links(session, setlist, people):
    """Made private again, the setlist's links open nothing; shared again, they do."""
    token = sharing.create(session, setlist, people["owner"]).token
    setlist.visibility = "private"
    session.flush()
    assert sharing.opened(session, token) is None
    setlist.visibility = "link"
    session.flush()
    assert sharing.opened(session, token) is not None


def test_expiry_choices_and_refusals():
    """Never, 1, 7 or 30 days, or the end of a date up to a year ahead; nothing else."""
    assert sharing.checked_expiry(now=NOW) is None
    assert sharing.checked_expiry(days=7, now=NOW) == NOW + timedelta(days=7)
    end = sharing.checked_expiry(until=date(2026, 12, 6), now=NOW)
    assert end.date() == date(2026, 12, 6)
    assert end > NOW
    for wrong in ({"days": 3}, {"days": "7"}, {"until": date(2026, 12, 5)},
                  {"until": date(2028, 1, 1)}, {"until": "2026-12-07"}):  # fmt: skip
        with pytest.raises(SetlistRefused):
            sharing.checked_expiry(now=NOW, **wrong)


def test_expired_and_revoked_links_open_nothing(session, setlist, people):
    """A link opens until its expiry, and never after revocation."""
    now = datetime.now(UTC)
    later = now + timedelta(hours=1)
    expiring = sharing.create(session, setlist, people["owner"], expires_at=later)
    assert sharing.opened(session, expiring.token, now=now) is not None
    assert sharing.opened(session, expiring.token, now=now + timedelta(hours=2)) is None
    revoked = sharing.create(session, setlist, people["owner"])
    sharing.revoke(revoked.share)
    first = revoked.share.revoked_at
    sharing.revoke(revoked.share)
    assert revoked.share.revoked_at == first
    session.flush()
    assert sharing.opened(session, revoked.token) is None
    assert [share.id for share in sharing.live_links(session, setlist.id)] == [expiring.share.id]


def test_a_setlist_has_at_most_twenty_live_links(session, setlist, people):
    """The 21st live link is refused; revoking one makes room."""
    made = [sharing.create(session, setlist, people["owner"]) for _ in range(20)]
    with pytest.raises(SetlistRefused):
        sharing.create(session, setlist, people["owner"])
    sharing.revoke(made[0].share)
    session.flush()
    sharing.create(session, setlist, people["owner"])


def test_last_use_is_written_once_a_minute(session, setlist, people):
    """The first use writes; uses within a minute write nothing; a minute on, one write."""
    share = sharing.create(session, setlist, people["owner"]).share
    session.commit()
    assert sharing.note_use(session, share, now=NOW) is True
    session.commit()
    session.refresh(share)
    assert sharing.note_use(session, share, now=NOW + timedelta(seconds=30)) is False
    # Another process that had not seen the write finds nothing to do either.
    stale = SetlistShare(id=share.id, last_used_at=None)  # as read before that write
    assert sharing.note_use(session, stale, now=NOW + timedelta(seconds=59)) is False
    assert sharing.note_use(session, share, now=NOW + timedelta(minutes=1)) is True
    session.commit()
    stored = session.scalars(select(SetlistShare.last_used_at)).one()
    assert sharing.as_utc(stored) == NOW + timedelta(minutes=1)
