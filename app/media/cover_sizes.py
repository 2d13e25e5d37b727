"""Album covers at a smaller size, for music apps (Subsonic's getCoverArt `size`): made once
with Pillow, kept in a cache folder on this machine, bounded in bytes.

The cache is derived data, never the only copy: a file is named by the cover's stored name
and the size, so a replaced cover (a new stored name) is never answered from an old entry;
the least recently used entries go when the folder passes its byte bound (measured every
SCAN_EVERY new files). It lives under UPLOAD_FOLDER/cache/cover-sizes whatever the store
(each app server keeps its own), never under static/, and the files it holds are reachable
only through a permission-checked cover.
"""

import hashlib
import logging
import os
import tempfile
import time
from io import BytesIO
from pathlib import Path

from PIL import Image

from app.media.file_store import FileStore, LocalStore, file_extension

log = logging.getLogger(__name__)

#: Sizes a client may ask for (pixels, the longer side); others are clamped to these bounds.
SMALLEST, LARGEST = 32, 1200
#: Asked sizes are rounded up to a multiple of this, so a cover has at most 37 cached sizes.
STEP = 32
#: The cache's bound; past it, the least recently used files go until it is at 80 %.
CACHE_MAX_BYTES = 256 * 1024 * 1024
#: The folder is measured once per this many new files (a scan of 20,000 files takes about
#: 150 ms), so it may pass its bound by that many files between two scans.
SCAN_EVERY = 100
#: New files written per cache folder since its last scan, in this process.
WRITES: dict[Path, int] = {}
#: A hit marks its file as used at most this often (seconds): its ETag, made from its time,
#: then stays the same for clients revalidating it.
TOUCH_EVERY = 3600
#: A cover bigger than this (in bytes or pixels) is not decoded (an image bomb), but sent as
#: it is stored.
SOURCE_MAX_BYTES = 20 * 1024 * 1024
SOURCE_MAX_PIXELS = 40_000_000
#: Pillow's format for a stored cover's extension (covers are JPEG, PNG or WebP).
FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def served_size(asked: int) -> int:
    """The size actually made for an asked one: within SMALLEST..LARGEST, rounded up to STEP."""
    return min(-(-max(asked, SMALLEST) // STEP) * STEP, LARGEST)


def cache_folder(upload_folder: str | os.PathLike) -> Path:
    """Where resized covers are kept for an upload folder."""
    return Path(upload_folder) / "cache" / "cover-sizes"


class CoverSizes:
    """Resized covers in a cache folder: `resized()` names the file to send."""

    def __init__(
        self, folder: str | os.PathLike, max_bytes: int = CACHE_MAX_BYTES, scan_every=SCAN_EVERY
    ) -> None:
        self.store = LocalStore(folder)
        self.max_bytes, self.scan_every = max_bytes, scan_every

    def entry_name(self, stored_name: str, size: int) -> str:
        """The cache file of a stored cover at a size (the stored name hashed: never sent)."""
        key = hashlib.sha256(stored_name.encode()).hexdigest()[:40]
        return f"{key}-{size}.{file_extension(stored_name) or 'jpg'}"

    def resized(self, source: FileStore, stored_name: str, size: int) -> tuple[str, str] | None:
        """(cache file name, MIME type) of a cover at most size x size (aspect kept, never
        enlarged), made and cached on the first call; None when the cover cannot be read as
        an image (send it as stored). FileNotFoundError when the cover is missing;
        StoreUnavailable when its store cannot be reached."""
        name = self.entry_name(stored_name, size)
        image_format = FORMATS.get(file_extension(name), "JPEG")
        path = self.store.path_for(name)
        try:
            if path.stat().st_mtime < time.time() - TOUCH_EVERY:
                os.utime(path)  # a hit: now among the most recently used
            return name, MIME_TYPES[image_format]
        except FileNotFoundError:
            pass
        made = shrunk(read_bounded(source, stored_name), size, image_format)
        if made is None:
            return None
        self.write(path, made)
        written = WRITES.get(self.store.folder, 0) + 1
        WRITES[self.store.folder] = 0 if written >= self.scan_every else written
        if written >= self.scan_every:
            self.evict()
        return name, MIME_TYPES[image_format]

    def write(self, path: Path, data: bytes) -> None:
        """Write an entry whole or not at all (a concurrent reader never sees half a file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as target:
                target.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def evict(self) -> None:
        """Past the bound, remove the least recently used entries until at 80 % of it."""
        entries = []
        with os.scandir(self.store.folder) as found:
            for entry in found:
                if entry.is_file() and not entry.name.startswith("."):
                    status = entry.stat()
                    entries.append((status.st_mtime_ns, status.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return
        for _, size, path in sorted(entries):
            if total <= self.max_bytes * 0.8:
                break
            Path(path).unlink(missing_ok=True)
            total -= size


def read_bounded(source: FileStore, stored_name: str) -> bytes | None:
    """A stored cover's bytes, or None when it is too large to decode."""
    data = bytearray()
    for chunk in source.read(stored_name):
        data += chunk
        if len(data) > SOURCE_MAX_BYTES:
            return None
    return bytes(data)


def shrunk(data: bytes | None, size: int, image_format: str) -> bytes | None:
    """The image at most size x size in a format, or its own bytes when it is that small
    already; None when it cannot be decoded (broken, not an image, too many pixels)."""
    if data is None:
        return None
    try:
        with Image.open(BytesIO(data)) as image:
            width, height = image.size
            if width * height > SOURCE_MAX_PIXELS:
                return None
            if width <= size and height <= size:
                image.load()  # a broken file fails here, not in a client
                return data
            image.thumbnail((size, size), Image.Resampling.LANCZOS)
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            output = BytesIO()
            image.save(output, image_format, quality=85)
            return output.getvalue()
    # Pillow's decoders raise many kinds of errors for hostile input; each one means "not
    # an image we can shrink", which the caller answers with the stored file.
    except Exception as error:
        log.warning("Cover not resized (%s): sent as stored", type(error).__name__)
        return None
