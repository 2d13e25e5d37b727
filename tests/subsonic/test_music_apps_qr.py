"""The QR code on "Connect a music app": shown once with a new app password, drawn on the server
as inline SVG (nothing fetched), and read back by a real decoder (zxing-cpp) as the server
address, username and password, from the page's markup and from Chromium's screenshots at a
desktop and a phone size, light and dark."""

import io
import re

import pytest
from PIL import Image, ImageDraw

from tests.e2e.browsing import shots_folder
from tests.subsonic.conftest import token_params
from tests.subsonic.test_music_apps_page import PAGE, shown_password

zxingcpp = pytest.importorskip(
    "zxingcpp", reason="zxing-cpp (requirements-dev.txt) decodes QR codes"
)

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def expected_text(server: str, username: str, password: str) -> str:
    """What the code must hold: the three settings, one labelled line each."""
    return f"Server address: {server}\nUsername: {username}\nPassword: {password}"


def modules(svg: str) -> list[list[bool]]:
    """The dark modules of segno's SVG: a background square, then one path of horizontal
    strokes ("M x y" to start, "m dx dy" to move on, "h n" for n dark modules)."""
    size = int(re.search(r'd="M0 0h(\d+)v', svg)[1])
    strokes = re.search(r'<path[^>]* stroke="#000"[^>]* d="([^"]+)"', svg)[1]
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", strokes):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            for step in range(int(first)):
                grid[int(y)][int(x) + step] = True
            x += int(first)
    return grid


def decoded(image: Image.Image) -> list[str]:
    """The texts of the QR codes a real decoder finds in an image."""
    return [found.text for found in zxingcpp.read_barcodes(image)]


def drawn(grid: list[list[bool]], pixels: int = 6) -> Image.Image:
    """The modules drawn dark on white, as a screen would show them."""
    image = Image.new("L", (len(grid) * pixels,) * 2, 255)
    pen = ImageDraw.Draw(image)
    for row, line in enumerate(grid):
        for column, dark in enumerate(line):
            if dark:
                box = (
                    column * pixels,
                    row * pixels,
                    (column + 1) * pixels - 1,
                    (row + 1) * pixels - 1,
                )
                pen.rectangle(box, fill=0)
    return image


def server_of(app, url: str) -> str:
    """The address the page names: the site's public one, else the one the browser used."""
    return (app.config.get("CATALOG_EXTERNAL_URL") or url).rstrip("/")


def test_a_new_password_comes_with_a_qr_code_holding_it(app, login_as, users, subsonic):
    """No code on the page alone; making a password shows one inline SVG (no address to load,
    the password not written in it), which decodes to the address, username and password;
    the password it holds signs in; the page is not stored; reloaded, the code is gone."""
    lisa = login_as("Listener")
    assert "<svg" not in lisa.get(PAGE).get_data(as_text=True)
    made = lisa.submit(PAGE, {"name": "Phone"}, post_url="/music-apps/add")
    assert made.headers["Cache-Control"] == "no-store"
    html = made.get_data(as_text=True)
    password = shown_password(html)
    [svg] = re.findall(r"<svg.*?</svg>", html, flags=re.DOTALL)
    assert 'class="qr-code"' in svg
    assert not re.search(r"href|src=|url\(|<script|<image", svg)
    assert html.count(password) == 1
    [text] = decoded(drawn(modules(svg)))
    assert text == expected_text(server_of(app, "http://localhost"), users["Listener"], password)
    scanned = text.rsplit("Password: ", 1)[1]
    assert subsonic.call("ping", **token_params(users["Listener"], scanned))["status"] == "ok"
    assert "<svg" not in lisa.get(PAGE).get_data(as_text=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_code_scans_from_the_screen_at_each_size(app, browse_as, users, tmp_path, scheme):
    """In Chromium, at 1366x900 and 390x844: make a password, and the screenshot of the page
    holds a code that decodes to the live server's address, the username and that password
    (saved as music-apps-qr-<size>-<scheme>.png)."""
    folder = shots_folder(tmp_path)
    for size_name, (width, height) in SIZES.items():
        viewport = {"width": width, "height": height}
        page, url = browse_as("Listener", viewport=viewport, color_scheme=scheme)
        page.goto(f"{url}{PAGE}")
        page.fill("#app-password-name", "Phone")
        page.click("form[action$='/music-apps/add'] button[type=submit]")
        page.wait_for_selector("svg.qr-code")
        password = page.inner_text(".app-password code").strip()
        shot = page.screenshot(
            path=folder / f"music-apps-qr-{size_name}-{scheme}.png", full_page=True
        )
        assert decoded(Image.open(io.BytesIO(shot))) == [
            expected_text(server_of(app, url), users["Listener"], password)
        ]
        page.close()
