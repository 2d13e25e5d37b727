"""Error pages in a real Chromium: in the layout, in the user's language, with a way back."""

import pytest

from tests.e2e.browsing import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_forbidden_and_missing_pages_in_spanish(
    app, live_server, chromium, users, password, song, width, height
):
    """A listener who chose Spanish meets 403 and 404 pages in Spanish, inside the app."""
    server = live_server(app)
    page = chromium.new_page(viewport={"width": width, "height": height})
    log_in(page, server.url, users["Listener"], password)
    page.goto(f"{server.url}/lang/es")
    forbidden = page.goto(f"{server.url}/songs/add")
    assert forbidden.status == 403
    assert page.get_by_role("heading", name="No permitido").is_visible()
    assert page.locator(".navbar-brand").is_visible()  # the app's own layout
    missing = page.goto(f"{server.url}/songs/show/999999")
    assert missing.status == 404
    assert page.get_by_role("heading", name="Página no encontrada").is_visible()
    page.get_by_role("link", name="Volver").click()
    page.wait_for_url(f"{server.url}/")
