"""What the login page says and keeps: the typed name after a failure, one answer for every
failure (no account's existence revealed), "Log in to see this" for a deep link and the way
back to it, and a Register link while self-registration is on."""

import re
from html import unescape
from urllib.parse import quote

import pytest

from tests.support.apps import PASSWORD
from tests.support.forms import Browser, registration_form

INVALID = "Invalid login. Please try again. Just registered? Open the link in your email first."
LOG_IN_TO_SEE = "Log in to see this."
DENIED = "Access is Denied"
ALERT = re.compile(r'<div class="alert alert-(\w+)[^"]*"[^>]*>(.*?)</div>', re.S)


def alerts(html: str) -> list[tuple[str, str]]:
    """The page's flashed messages as (level, text without markup)."""
    found = []
    for level, body in ALERT.findall(html):
        text = unescape(re.sub(r"<[^>]+>", " ", body)).replace("×", " ")  # the close button
        found.append((level, " ".join(text.split())))
    return found


def typed_name(html: str) -> str:
    """The value the login form's username field holds."""
    match = re.search(r'<input[^>]*id="username"[^>]*>', html)
    assert match, "no username field"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else ""


WRONG = "wrong guess twice"


def fail(browser: Browser, login_url: str, username: str, password: str = WRONG):
    """Send the login form with the wrong password; the page the browser lands on."""
    response = browser.submit(login_url, {"username": username, "password": password})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login/"), location
    return location, browser.get(location).get_data(as_text=True)


def test_deep_link_login_journey(app, users, browser, database_kind):
    """An anonymous visitor opens a song list: the login page says "Log in to see this" in
    plain info (no red banner); two failed tries keep the name and say the same; the third
    lands on the list."""
    if app.config["CATALOG_PUBLIC_BROWSE"]:
        pytest.skip("the song list is public in this configuration")
    answer = browser.get("/songs/list/?_flt_0_title=love")
    assert answer.status_code == 302
    login_url = answer.headers["Location"]
    assert login_url.startswith("/login/?next=")
    first = browser.get(login_url).get_data(as_text=True)
    assert alerts(first) == [("info", LOG_IN_TO_SEE)]
    assert DENIED not in first
    assert typed_name(first) == ""

    retry_url, second = fail(browser, login_url, users["Listener"])
    assert alerts(second) == [("warning", INVALID)]
    assert typed_name(second) == users["Listener"]
    assert LOG_IN_TO_SEE not in second

    retry_url, third = fail(browser, retry_url, users["Listener"], "another wrong one")
    assert alerts(third) == [("warning", INVALID)]
    assert typed_name(third) == users["Listener"]

    done = browser.submit(retry_url, {"username": users["Listener"], "password": PASSWORD})
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/songs/list/?_flt_0_title=love")
    landed = browser.get(done.headers["Location"])
    assert landed.status_code == 200
    # Shown once: the next login page has an empty name again.
    browser.logout()
    assert typed_name(browser.get("/login/").get_data(as_text=True)) == ""


def test_record_page_deep_link_returns_there(app, users, browser, song):
    """A song's own page, opened before logging in, is where the login ends."""
    if app.config["CATALOG_PUBLIC_BROWSE"]:
        pytest.skip("record pages are public in this configuration")
    answer = browser.get(f"/songs/show/{song.id}")
    login_url = answer.headers["Location"]
    page = browser.get(login_url).get_data(as_text=True)
    assert alerts(page) == [("info", LOG_IN_TO_SEE)]
    done = browser.submit(login_url, {"username": users["Editor"], "password": PASSWORD})
    assert done.headers["Location"].endswith(f"/songs/show/{song.id}")
    assert song.title in browser.get(done.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/x", "//evil.example/x", "/\\evil.example/x", "javascript:alert(1)"],
)
def test_next_leads_only_to_this_site(users, browser, next_url):
    """A next= naming another site, or a browser-bent "/\\host", ends on the home page."""
    login_url = f"/login/?next={quote(next_url, safe='')}"
    done = browser.submit(login_url, {"username": users["Listener"], "password": PASSWORD})
    assert done.status_code == 302
    assert done.headers["Location"] == "/"


def test_every_failure_says_the_same(app, users, visit, inbox):
    """Unknown name, wrong password, and a registration not yet activated: one answer, the
    same page apart from the typed name."""
    registering = visit(app)
    registered = registering.submit("/register/form", registration_form(username="newbie"))
    assert registered.status_code == 200
    answers = {}
    for case, username, password in (
        ("unknown", "nobody-here", "wrong guess twice"),
        ("wrong password", users["Listener"], "wrong guess twice"),
        ("not activated", "newbie", registration_form()["password"]),
    ):
        _location, page = fail(visit(app), "/login/", username, password)
        assert typed_name(page) == username, case
        answers[case] = (alerts(page), page.replace(username, "NAME"))
    assert {case: found for case, (found, _page) in answers.items()} == {
        case: [("warning", INVALID)] for case in answers
    }
    pages = {page for _found, page in answers.values()}
    # The pages differ only by their one-time tokens (CSRF, script nonces).
    tokens = re.compile(r'(value|content|nonce)="[\w.-]{20,}"')
    assert len({tokens.sub("", page) for page in pages}) == 1


def test_register_link_where_people_log_in(app, standalone_app, visit):
    """The login page and the anonymous home page offer Register while registration is on,
    and not when it is off."""
    for page in ("/login/", "/"):
        html = visit(app).get(page).get_data(as_text=True)
        assert 'href="/register/form"' in html, page
    closed = standalone_app(AUTH_USER_REGISTRATION=False)
    for page in ("/login/", "/"):
        html = visit(closed).get(page).get_data(as_text=True)
        assert "/register/form" not in html, page
        assert "Log in" in html or "Sign In" in html
