"""Error pages in a real Chromium: in the layout, in the user's language, with a way back."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_forbidden_and_missing_pages_in_spanish(browse_as, song, width, height):
    """A listener who chose Spanish meets 403 and 404 pages in Spanish, inside the app."""
    page, url = browse_as("Listener", viewport={"width": width, "height": height})
    page.goto(f"{url}/lang/es")
    forbidden = page.goto(f"{url}/songs/add")
    assert forbidden.status == 403
    assert page.get_by_role("heading", name="No permitido").is_visible()
    assert page.locator(".navbar-brand").is_visible()  # the app's own layout
    missing = page.goto(f"{url}/songs/show/999999")
    assert missing.status == 404
    assert page.get_by_role("heading", name="Página no encontrada").is_visible()
    page.get_by_role("link", name="Volver").click()
    page.wait_for_url(f"{url}/")
