"""What the multi-upload page's browser tests share: files to send, what a row says, what
the browser would show in red."""

import base64
import shutil
from pathlib import Path

import mutagen
from sqlalchemy import select

from app.extensions import db
from app.models import Song

SUMMARY = "{} added, {} already there, {} refused, {} to go"


def untagged_copy(audio_dir: Path, folder: Path, name: str, source="cafe-nocturne-vbr.mp3") -> Path:
    """A copy of a tagged fixture with its tags stripped (new content: no duplicate)."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / name
    shutil.copy(audio_dir / source, copy)
    mutagen.File(copy).delete()
    return copy


def failed(request) -> bool:
    """Whether a request failed, rather than being dropped by the page: the album picker
    cancels its search as you type (devtools greys that out; it logs no error)."""
    return request.failure != "net::ERR_ABORTED" or "/songs/upload/" in request.url


def watch(page) -> list[str]:
    """Everything the browser would show in red: console errors, failed requests, 4xx/5xx."""
    seen = []
    page.on("console", lambda m: m.type == "error" and seen.append(f"console: {m.text}"))
    page.on("requestfailed", lambda r: failed(r) and seen.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and seen.append(f"{r.status}: {r.url}"))
    return seen


def row(page, name):
    """The result row of a file."""
    return page.locator(".upload-row", has_text=name)


def outcome(page, name) -> tuple[str, str, str]:
    """(row state class, the badge's words, the row's colour as "rgb(...)")."""
    found = row(page, name)
    state = found.get_attribute("class").split("upload-")[-1]
    colour = found.evaluate("r => getComputedStyle(r).borderLeftColor")
    return state, found.locator(".upload-badge").inner_text().strip(), colour


def rgb(colour: str) -> tuple[int, ...]:
    """(r, g, b) of a computed "rgb(r, g, b)"."""
    return tuple(int(part) for part in colour[colour.index("(") + 1 : -1].split(",")[:3])


def hue(colour: str) -> str:
    """The family of a computed colour: green, purple, orange or red."""
    r, g, b = rgb(colour)
    if g > max(r, b):
        return "green"
    if b > g and r > g:
        return "purple"
    return "orange" if g > r * 0.45 else "red"


def wait_for_summary(page, *counts) -> None:
    """Wait until the summary line says these counts."""
    page.locator(".upload-summary").filter(has_text=SUMMARY.format(*counts)).wait_for()


def drop(page, paths: list[Path]) -> None:
    """Drop files on the drop zone as a file manager does (a DataTransfer with Files)."""
    files = [{"name": p.name, "data": base64.b64encode(p.read_bytes()).decode()} for p in paths]
    transfer = page.evaluate_handle(
        """files => {
            const transfer = new DataTransfer();
            for (const file of files) {
                const bytes = Uint8Array.from(atob(file.data), c => c.charCodeAt(0));
                transfer.items.add(new File([bytes], file.name, {type: "audio/mpeg"}));
            }
            return transfer;
        }""",
        files,
    )
    page.dispatch_event(".drop-zone", "drop", {"dataTransfer": transfer})


def catalog(app) -> dict[str, tuple]:
    """Title -> (author, album, track) of every song."""
    with app.app_context():
        return {
            s.title: (s.album.author.name, s.album.title, s.track_number)
            for s in db.session.scalars(select(Song))
        }
