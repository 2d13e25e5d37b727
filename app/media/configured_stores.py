"""The app's file stores, as configured (STORAGE_BACKEND): one area per kind of file.

`audio_store()`, `cover_store()`, `staged_store()` and `quarantine_store()` are what views,
the API and commands use; `app.media.file_store.FileStore` says what a store can do.
"""

from flask import current_app

from app.media.file_store import FileStore, LocalStore, SongStores
from app.media.s3 import S3Store, make_client

#: The areas of a store: songs at its root, the others below it.
SONGS, COVERS, STAGED, QUARANTINE = "", "covers", "staged", "quarantine"
S3_CLIENT = "setlist.s3_client"


def file_store(area: str = SONGS) -> FileStore:
    """The current app's store for an area: a folder under UPLOAD_FOLDER, or a prefix in
    S3_BUCKET."""
    config = current_app.config
    if config["STORAGE_BACKEND"] == "s3":
        root = S3Store(s3_client(), config["S3_BUCKET"], config["S3_PREFIX"])
    else:
        root = LocalStore(config["UPLOAD_FOLDER"])
    return root.area(area) if area else root


def s3_client():
    """The app's S3 client, made once (boto3 clients are safe to share between threads)."""
    client = current_app.extensions.get(S3_CLIENT)
    if client is None:
        config = current_app.config
        client = make_client(
            config["S3_ENDPOINT_URL"], config["S3_REGION"], config["S3_CONNECT_TIMEOUT"]
        )
        current_app.extensions[S3_CLIENT] = client
    return client


def audio_store() -> FileStore:
    """Where song files are kept."""
    return file_store(SONGS)


def cover_store() -> FileStore:
    """Where album covers are kept."""
    return file_store(COVERS)


def staged_store() -> FileStore:
    """Where files kept for a form's next try wait: an area that no route serves."""
    return file_store(STAGED)


def quarantine_store() -> FileStore:
    """Where `check-files --fix` moves files no row refers to."""
    return file_store(QUARANTINE)


def song_stores() -> SongStores:
    """The stores a new song's files go to."""
    return SongStores(audio_store(), cover_store())
