"""A file of a local store written whole or not at all: a part file renamed over it."""

import os
import shutil
import uuid
from pathlib import Path
from typing import BinaryIO

COPY_CHUNK_BYTES = 1024 * 1024


def replace_file(path: Path | None, stream: BinaryIO) -> None:
    """Copy a stream into a dot-named part file beside `path` (listings skip dot-files), then
    rename it over `path`: a rename within a folder is atomic, so readers get the old file or
    the new one, never a part of one, and the last complete writer wins."""
    if path is None:
        raise NotImplementedError("this store keeps no files on this machine")
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".part-{uuid.uuid4().hex}")
    stream.seek(0)
    try:
        with part.open("xb") as target:
            shutil.copyfileobj(stream, target, COPY_CHUNK_BYTES)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
