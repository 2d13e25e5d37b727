"""Share links' rate limits: per link and client address (RATELIMIT_SHARE), and per link
from every address (RATELIMIT_SHARE_LINK); a refusal is the app's 429 page."""

from tests.setlists.sharing_building import create_link

OTHER_ADDRESS = {"REMOTE_ADDR": "203.0.113.9"}
THIRD_ADDRESS = {"REMOTE_ADDR": "198.51.100.7"}


def refused(response) -> None:
    """The app's 429 page, with the seconds to wait."""
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many" in response.get_data(as_text=True)


def test_one_address_past_a_links_limit_waits_others_do_not(app, owner, world, monkeypatch):
    """Pages and streams count together per (link, address); another address, or the same
    address on another link, goes on."""
    first, second = create_link(owner, world.setlist_id), create_link(owner, world.setlist_id)
    monkeypatch.setitem(app.config, "RATELIMIT_SHARE", "3 per minute")
    visitor = app.test_client()
    assert visitor.get(first).status_code == 200
    assert visitor.get(f"{first}/stream/{world.entry_ids[0]}").status_code == 200
    assert visitor.get(first).status_code == 200
    refused(visitor.get(f"{first}/stream/{world.entry_ids[0]}"))
    refused(visitor.get(first))
    assert visitor.get(first, environ_base=OTHER_ADDRESS).status_code == 200
    assert visitor.get(second).status_code == 200


def test_a_link_has_a_limit_across_addresses(app, owner, world, monkeypatch):
    """A link passed around widely stops at RATELIMIT_SHARE_LINK, whatever the address."""
    link, other = create_link(owner, world.setlist_id), create_link(owner, world.setlist_id)
    monkeypatch.setitem(app.config, "RATELIMIT_SHARE_LINK", "2 per minute")
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    assert visitor.get(link, environ_base=OTHER_ADDRESS).status_code == 200
    refused(visitor.get(link, environ_base=THIRD_ADDRESS))
    assert visitor.get(other, environ_base=THIRD_ADDRESS).status_code == 200


def test_unknown_tokens_count_too(app, monkeypatch):
    """Guessing at tokens from one address is limited like using one (each guess its own
    link, so the per-link count alone would not stop it: the key holds the address)."""
    monkeypatch.setitem(app.config, "RATELIMIT_SHARE", "2 per minute")
    visitor = app.test_client()
    token = "B" * 43
    assert visitor.get(f"/shared/{token}").status_code == 404
    assert visitor.get(f"/shared/{token}").status_code == 404
    refused(visitor.get(f"/shared/{token}"))
