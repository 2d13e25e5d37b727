"""The configured file store (STORAGE_BACKEND), one area per kind of file."""

from flask import current_app

from app.media.s3 import S3Store, make_client
from app.media.storage import FileStore, LocalStore

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
