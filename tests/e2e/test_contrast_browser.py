"""Readable in both themes, measured on Chromium's computed colours (WCAG AA, 4.5:1): Select2
placeholders, disabled pager buttons in the dark theme, the API documentation page; and the
menu link to that page, for admins only."""

import pytest

from tests.e2e.browsing import wait_until

pytestmark = pytest.mark.browser

#: An element's text colour and the colour behind it: its own and its ancestors'
#: backgrounds, translucent ones laid over what is under them, down to an opaque one.
COLOURS = """(element) => {
  const layers = [];
  for (let node = element; node; node = node.parentElement) {
    const parts = getComputedStyle(node).backgroundColor.match(/[\\d.]+/g).map(Number);
    const alpha = parts.length > 3 ? parts[3] : 1;
    if (alpha > 0) layers.push([parts[0], parts[1], parts[2], alpha]);
    if (alpha === 1) break;
  }
  let under = [255, 255, 255];
  for (const [red, green, blue, alpha] of layers.reverse()) {
    under = [red, green, blue].map((value, i) => value * alpha + under[i] * (1 - alpha));
  }
  return [getComputedStyle(element).color, `rgb(${under.join(", ")})`];
}"""


def channels(colour: str) -> tuple[float, ...]:
    """The red, green and blue of a computed "rgb(r, g, b)" colour."""
    return tuple(float(part) for part in colour[colour.index("(") + 1 : -1].split(",")[:3])


def luminance(colour: str) -> float:
    """WCAG relative luminance."""
    linear = [
        value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
        for value in (part / 255 for part in channels(colour))
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(element) -> float:
    """The contrast ratio of an element's text on its background, as Chromium draws them."""
    text, background = (luminance(colour) for colour in element.evaluate(COLOURS))
    return (max(text, background) + 0.05) / (min(text, background) + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_picker_placeholders_are_readable(browse_as, scheme):
    """The album picker's placeholder on the add-song form, in each theme."""
    page, url = browse_as("Editor", color_scheme=scheme)
    page.goto(f"{url}/songs/add")
    placeholder = page.locator(".select2-selection__placeholder").first
    placeholder.wait_for()
    assert contrast(placeholder) >= 4.5


def test_disabled_pager_buttons_are_dark_and_readable_in_the_dark(browse_as, generated_catalog):
    """On page 1 "previous" is disabled: dark like its neighbours, its arrow readable."""
    generated_catalog(60)
    page, url = browse_as("Listener", color_scheme="dark")
    page.goto(f"{url}/songs/list/")
    disabled = page.locator(".list-pager-top li.disabled > span").first
    _, background = disabled.evaluate(COLOURS)
    assert max(channels(background)) < 80
    assert contrast(disabled) >= 4.5
    enabled = page.locator(".list-pager-top a[rel=next]")
    assert max(channels(enabled.evaluate(COLOURS)[1])) < 80


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_admins_find_the_api_documentation_in_the_menu_and_can_read_it(browse_as, scheme):
    """Security > API documentation opens Swagger; its title, badges and methods read."""
    page, url = browse_as("Admin", color_scheme=scheme)
    page.get_by_role("link", name="Security").click()
    page.get_by_role("link", name="API documentation").click()
    page.wait_for_url(f"{url}/swagger/v1")
    title = page.locator(".swagger-ui .info .title")
    wait_until(title, "(title) => title.textContent.includes('Setlist')")
    page.locator(".opblock-summary-method").first.wait_for()
    readable = [title, *page.locator(".swagger-ui .info .title small").all()]
    readable += page.locator(".opblock-summary-method").all()[:8]
    readable.append(page.locator(".opblock-summary-path").first)
    for element in readable:
        assert contrast(element) >= 4.5, element.inner_text()


def test_listeners_have_no_api_documentation_link(browse_as):
    """The link is not in a listener's menu (the page would refuse them)."""
    page, url = browse_as("Listener")
    page.goto(f"{url}/songs/list/")
    assert page.get_by_role("link", name="API documentation").count() == 0
    assert page.goto(f"{url}/swagger/v1").status == 403
