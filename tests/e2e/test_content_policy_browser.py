"""A real Chromium loads every kind of page under the Content-Security-Policy, unrefused."""

import pytest

from tests.e2e.browsing import log_in
from tests.support.apps import captcha_settings

pytestmark = pytest.mark.browser

#: Collects what the browser refuses, from the first script of each page on.
WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def visit(page, url: str) -> list[str]:
    """Open a page, let its scripts run; what the policy refused (CSP console errors too)."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return refused + page.evaluate("window.cspViolations")


def test_every_page_type_loads_within_the_policy(app, live_server, chromium, users, password, song):
    """Lists, pages, forms (with pickers and players), security pages: nothing refused."""
    server = live_server(app).url
    page = chromium.new_page()
    page.add_init_script(WATCH_VIOLATIONS)
    assert visit(page, f"{server}/login/") == []
    log_in(page, server, users["Admin"], password)
    album, author = song.album_id, song.album.author_id
    urls = [
        "/",
        "/songs/list/",
        f"/songs/show/{song.id}",
        "/songs/add",
        f"/songs/edit/{song.id}",
        "/albums/list/",
        f"/albums/show/{album}",
        f"/albums/edit/{album}",
        f"/authors/show/{author}",
        "/authors/add",
        "/users/list/",
        "/users/add",
        "/roles/list/",
        "/userinfoeditview/form",
        "/resetmypassword/form",
        "/no-such-page",
    ]
    for url in urls:
        assert visit(page, f"{server}{url}") == [], url
    # The inline scripts did run (they carry the nonce): the album picker became Select2.
    visit(page, f"{server}/songs/add")
    assert page.locator("#album + .select2").count() == 1
    # Logging out is the user menu's form (a POST), within the policy too.
    page.click(".navbar-right .dropdown-toggle:has(.fa-user)")
    page.click("form.navbar-logout button")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.cspViolations") == []
    assert visit(page, f"{server}/users/userinfo/") == []
    assert "/login/" in page.url


def test_the_captcha_runs_on_its_page_within_the_policy(
    standalone_app, live_server, chromium, captcha_server
):
    """The register form's captcha script (another origin) loads and runs; nothing refused."""
    app = standalone_app(**captcha_settings(captcha_server))
    server = live_server(app).url
    page = chromium.new_page()
    page.add_init_script(WATCH_VIOLATIONS)
    assert visit(page, f"{server}/register/form") == []
    page.wait_for_selector("textarea[name=g-recaptcha-response]", state="attached")
    assert visit(page, f"{server}/forgot-password/form") == []
