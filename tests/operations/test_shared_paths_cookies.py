"""A share link's holder gets no session: no answer on a /shared/ address sets a cookie, be
it the page, a stream, the tracks, a download, the app's 404 page or its 429 page (those
two are drawn in the layout, whose CSRF meta tag would otherwise start a session)."""

import pytest

from tests.setlists.sharing_building import create_link, shared_world


@pytest.fixture
def world(app, upload_folder, users, own_account):
    """The Listener's setlist of two stored songs, and another user's setlist."""
    with app.app_context():
        sm = app.appbuilder.sm
        owner, other = (sm.find_user(username=name).id for name in (users["Listener"], own_account))
        return shared_world(upload_folder, owner, other)


@pytest.fixture
def owner(login_as):
    """The setlist's owner, signed in."""
    return login_as("Listener")


def cookies_set(app, path: str, method: str = "GET", **how) -> tuple[int, list[str]]:
    """(status, Set-Cookie headers) of one request by a fresh client: no cookie yet, a page
    visit as a browser makes it (Sec-Fetch-Mode: navigate)."""
    headers = {"Sec-Fetch-Mode": "navigate", **how.pop("headers", {})}
    answer = app.test_client().open(path, method=method, headers=headers, **how)
    return answer.status_code, answer.headers.getlist("Set-Cookie")


def test_no_answer_on_a_shared_address_sets_a_cookie(app, owner, world, monkeypatch):
    """The journey of a link's holder, then its odd turns: every answer, 200, 206, 404 or
    429, comes without Set-Cookie. The same 404 elsewhere starts a session (the check
    would see one)."""
    link = create_link(owner, world.setlist_id, allow_download="y")
    first = world.entry_ids[0]
    answers = {
        "page": cookies_set(app, link),
        "page 2 (404)": cookies_set(app, f"{link}?page=2"),
        "tracks": cookies_set(app, f"{link}/tracks", headers={"Sec-Fetch-Mode": "cors"}),
        "stream": cookies_set(app, f"{link}/stream/{first}", headers={"Range": "bytes=0-9"}),
        "stream HEAD": cookies_set(app, f"{link}/stream/{first}", "HEAD"),
        "download": cookies_set(app, f"{link}/download/{first}"),
        "other entry (404)": cookies_set(app, f"{link}/stream/{world.other_entry_id}"),
        "unknown token (404)": cookies_set(app, "/shared/" + "B" * 43),
        "no such route (404)": cookies_set(app, f"{link}/stream/x"),
        "under /shared/ (404)": cookies_set(app, "/shared/"),
        "/shared (404)": cookies_set(app, "/shared"),
    }
    monkeypatch.setitem(app.config, "RATELIMIT_SHARE", "1 per minute")
    app.test_client().get(link)
    answers["page (429)"] = cookies_set(app, link)
    answers["stream (429)"] = cookies_set(app, f"{link}/stream/{first}")
    assert {name: status for name, (status, _) in answers.items()} == {
        "page": 200,
        "page 2 (404)": 404,
        "tracks": 200,
        "stream": 206,
        "stream HEAD": 200,
        "download": 200,
        "other entry (404)": 404,
        "unknown token (404)": 404,
        "no such route (404)": 404,
        "under /shared/ (404)": 404,
        "/shared (404)": 404,
        "page (429)": 429,
        "stream (429)": 429,
    }
    assert {name: cookies for name, (_, cookies) in answers.items() if cookies} == {}
    # The same page elsewhere does start a session: the check above could see one.
    status, cookies = cookies_set(app, "/no-such-page")
    assert status == 404
    assert cookies


def test_a_signed_in_holder_keeps_their_session(app, owner, world):
    """The owner opening their own link gets no cookie either, and is still signed in."""
    link = create_link(owner, world.setlist_id)
    page = owner.client.get(link, headers={"Sec-Fetch-Mode": "navigate"})
    missing = owner.client.get(link + "/stream/0", headers={"Sec-Fetch-Mode": "navigate"})
    assert (page.status_code, missing.status_code) == (200, 404)
    assert page.headers.getlist("Set-Cookie") == missing.headers.getlist("Set-Cookie") == []
    assert owner.client.get(f"/setlists/show/{world.setlist_id}").status_code == 200
