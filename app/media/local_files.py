"""A stored file as a path on this machine, for code that needs one (FFmpeg's decoders)."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.media.file_store import FileStore, file_extension


@contextmanager
def local_copy(store: FileStore, stored_name: str) -> Iterator[Path]:
    """A path to the stored file on this machine: the file itself in a local store, else a
    temporary copy (keeping its extension, which decoders look at), removed afterwards."""
    path = store.local_path(stored_name)
    if path is not None:
        if not path.is_file():
            raise FileNotFoundError(f"the song's file {stored_name} is missing")
        yield path
        return
    extension = file_extension(stored_name)
    with tempfile.NamedTemporaryFile(suffix=f".{extension}" if extension else "") as copy:
        for chunk in store.read(stored_name):
            copy.write(chunk)
        copy.flush()
        yield Path(copy.name)
