"""QR codes drawn on the server as inline SVG with segno (pure Python): nothing is loaded
from another site and no script runs; the SVG holds only shapes, never the encoded text."""

import segno
from markupsafe import Markup


def qr_svg(text: str, label: str, scale: int = 5) -> Markup:
    """An inline SVG QR code of `text`: error correction M, the standard quiet zone of four
    modules, dark on white whatever the page's theme (scanners need the contrast), titled
    `label` (escaped by segno) for screen readers."""
    code = segno.make_qr(text, error="m", boost_error=False)
    svg = code.svg_inline(
        scale=scale, border=4, dark="#000", light="#fff", svgclass="qr-code", title=label
    )
    return Markup(svg)  # noqa: S704 - segno's own markup: numbers, and the title it escaped
