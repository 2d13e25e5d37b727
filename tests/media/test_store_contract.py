"""One contract, two stores: a folder of this machine and an S3-compatible bucket (SeaweedFS)."""

import hashlib
import io

import pytest

from app.media.file_store import LocalStore, StoreUnavailable, UnsafeStoredName
from app.media.s3 import PART_BYTES, S3Store, make_client
from tests.support.network import free_port

CONTENT = bytes(range(256)) * 40  # 10 KiB, every byte value


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    """A fresh, empty store of each kind (its songs area)."""
    if request.param == "local":
        return LocalStore(tmp_path / "files")
    server = request.getfixturevalue("object_store")
    prefix = request.getfixturevalue("s3_settings")["S3_PREFIX"]
    return S3Store(make_client(server.endpoint, "us-east-1", 5), server.BUCKET, prefix)


def plant_dot_file(store, name: str) -> None:
    """Put a file the store did not make (.gitkeep) straight into its area."""
    if isinstance(store, LocalStore):
        store.folder.mkdir(parents=True, exist_ok=True)
        (store.folder / name).write_bytes(b"")
    else:
        store.client.put_object(Bucket=store.bucket, Key=store.prefix + name, Body=b"")


def test_a_saved_file_reads_back_whole_in_ranges_and_seekable(store):
    """Saved bytes come back exactly: whole, any range, as a seekable stream, as a hash."""
    name = store.save(io.BytesIO(CONTENT), "Morning Light.MP3")
    assert name.endswith(".mp3")
    assert "Morning" not in name
    assert store.stored_names() == {name}
    described = store.describe(name)
    assert (described.name, described.size) == (name, len(CONTENT))
    assert described.etag.startswith('"')
    assert described.modified.tzinfo is not None
    assert b"".join(store.read(name)) == CONTENT
    assert b"".join(store.read(name, 100, 1100)) == CONTENT[100:1100]
    assert b"".join(store.read(name, len(CONTENT) - 5)) == CONTENT[-5:]
    with store.open(name) as stream:
        stream.seek(5000)
        assert stream.read(10) == CONTENT[5000:5010]
    assert store.sha256(name) == hashlib.sha256(CONTENT).hexdigest()


def test_saving_never_overwrites(store):
    """Two uploads of one name are two files."""
    first = store.save(io.BytesIO(b"first"), "same.ogg")
    second = store.save(io.BytesIO(b"second"), "same.ogg")
    assert first != second
    assert b"".join(store.read(first)) == b"first"
    assert b"".join(store.read(second)) == b"second"


@pytest.mark.parametrize("name", ["", "../x.ogg", "a/b.ogg", "..", ".hidden", "a\\b.ogg"])
def test_names_never_leave_the_area(store, name):
    """A stored name with a path, a parent or a hidden name is refused by every operation."""
    for operation in (store.describe, store.remove, store.open, lambda n: store.read(n)):
        with pytest.raises(UnsafeStoredName):
            operation(name)
    store.delete(name)  # cleaning up after a failure never raises


def test_areas_are_apart_and_dot_files_are_not_ours(store):
    """Covers are not songs, songs are not covers; a .gitkeep is nobody's file."""
    covers = store.area("covers")
    song, cover = store.save(io.BytesIO(b"song"), "a.ogg"), covers.save_bytes(b"img", "jpg")
    plant_dot_file(store, ".gitkeep")
    assert store.stored_names() == {song}
    assert covers.stored_names() == {cover}
    assert store.describe(cover) is None


def test_deleting_is_final_and_missing_files_are_none(store):
    """A deleted file is gone; deleting it again is fine; reading it says it is not there."""
    name = store.save(io.BytesIO(b"bye"), "gone.ogg")
    store.delete(name)
    store.delete(name)
    assert store.describe(name) is None
    assert store.stored_names() == set()
    with pytest.raises(FileNotFoundError):
        b"".join(store.read(name))


def test_moving_to_quarantine_keeps_the_bytes(store):
    """An orphan moved to quarantine leaves its area whole and arrives intact."""
    quarantine = store.area("quarantine")
    name = store.save(io.BytesIO(CONTENT), "orphan.flac")
    where = store.move_to(name, quarantine)
    assert name in where
    assert store.stored_names() == set()
    assert b"".join(quarantine.read(name)) == CONTENT


def test_large_files_go_in_parts_and_come_back_whole(store, tmp_path):
    """A file over the part size is uploaded from disk in parts (an S3 multipart ETag
    ends in -N) and reads back byte for byte."""
    big = tmp_path / "big.wav"
    with big.open("wb") as output:
        for block in range(3 * PART_BYTES // len(CONTENT) + 7):
            output.write(CONTENT[block % 256 :] + CONTENT[: block % 256])
    with big.open("rb") as stream:
        name = store.save(stream, "big.wav")
    described = store.describe(name)
    assert described.size == big.stat().st_size
    if isinstance(store, S3Store):
        assert described.etag.rstrip('"').endswith("-4")
    with big.open("rb") as original:
        for chunk in store.read(name):
            assert chunk == original.read(len(chunk))
        assert original.read() == b""


def test_an_unreachable_object_store_says_so(object_store, s3_settings):
    """A store that does not answer raises StoreUnavailable (a 503 for users), never a 500."""
    closed = S3Store(make_client(f"http://127.0.0.1:{free_port()}", "us-east-1", 1), "b", "p/")
    for operation in (
        lambda: closed.save(io.BytesIO(b"x"), "x.ogg"),
        lambda: closed.describe("x.ogg"),
        lambda: closed.read("x.ogg"),
        closed.stored_names,
        lambda: closed.remove("x.ogg"),
    ):
        with pytest.raises(StoreUnavailable):
            operation()


def test_local_store_reports_an_unwritable_folder(tmp_path):
    """The readiness check of a folder that cannot be made fails loudly."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(NotADirectoryError):
        LocalStore(blocker / "uploads").is_reachable()
    assert LocalStore(tmp_path / "fine").is_reachable()
