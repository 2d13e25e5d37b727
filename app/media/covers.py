"""Album cover images: recognised by their content, bounded in size, whatever door they
come in by (a song's embedded art, the album form)."""

from dataclasses import dataclass
from typing import BinaryIO

#: The largest cover a person may upload (an embedded one is bounded by its audio file).
COVER_MAX_BYTES = 10 * 1024 * 1024
#: Leading bytes -> (extension, MIME type). WebP is "RIFF", a size, then "WEBP".
IMAGE_MAGIC = {b"\xff\xd8\xff": ("jpg", "image/jpeg"), b"\x89PNG\r\n\x1a\n": ("png", "image/png")}
WEBP = ("webp", "image/webp")


class CoverRefused(ValueError):
    """An uploaded cover that is not taken (see the subclasses for why)."""


class CoverTooLarge(CoverRefused):
    """More bytes than COVER_MAX_BYTES."""


class NotAnImage(CoverRefused):
    """Content that is no JPEG, PNG or WebP image, whatever its name says."""


@dataclass(frozen=True)
class CheckedCover:
    """A cover's bytes with what its content says it is."""

    data: bytes
    extension: str
    mime_type: str


def image_kind(data: bytes) -> tuple[str, str] | None:
    """(extension, MIME type) of a JPEG, PNG or WebP by its magic bytes; None otherwise."""
    for magic, kind in IMAGE_MAGIC.items():
        if data.startswith(magic):
            return kind
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return None


def read_cover(stream: BinaryIO, limit: int = COVER_MAX_BYTES) -> CheckedCover:
    """Read an uploaded image, at most `limit` bytes (one more tells it is too large).

    Raises CoverTooLarge or NotAnImage.
    """
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise CoverTooLarge(limit)
    kind = image_kind(data)
    if kind is None:
        raise NotAnImage()
    return CheckedCover(data, *kind)
