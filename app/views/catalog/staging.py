"""Staged uploads: a file that passed its checks survives a form sent back for another error.

The file waits in the store's staged area under a token signed for the user who sent it
(in a shared store, the next try may reach another app server); the
form carries the token, and sending the form again uses the file without choosing it anew.
Staged files are removed once used, replaced or an hour old.
"""

import logging

from flask import current_app
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import FileStorage

from app.media.configured_stores import staged_store
from app.media.file_store import FileStore, StoreUnavailable, UnsafeStoredName, folder_unavailable
from app.media.store_audit import STAGED_SECONDS, expired_staged

log = logging.getLogger(__name__)


def signer() -> URLSafeTimedSerializer:
    """Signs and checks staging tokens with the app's secret."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="staged-upload")


def stage(upload: FileStorage, original_name: str) -> str:
    """Keep an upload for the next submission of the form; return its token.

    Raises StoreUnavailable when the store cannot take it now.
    """
    storage = staged_store()
    remove_stale(storage)
    try:
        stored = storage.save(upload.stream, original_name)
    except OSError as failure:
        raise folder_unavailable(failure) from failure
    return signer().dumps({"name": stored, "original": original_name, "user": current_user.id})


def token_data(token: str) -> dict | None:
    """What a valid token of this user says: the staged file's "name" and "original" name."""
    try:
        data = signer().loads(token, max_age=STAGED_SECONDS)
        if not (isinstance(data["name"], str) and isinstance(data["original"], str)):
            return None
    except (BadSignature, KeyError, TypeError):
        return None
    if not current_user.is_authenticated or data.get("user") != current_user.id:
        return None
    return data


def unstage(token: str) -> tuple[FileStorage, str] | None:
    """(the staged file as an upload, its stored name) for a valid token of this user.

    Raises StoreUnavailable when the store cannot be read now (the file may still be there).
    """
    data = token_data(token)
    if data is None:
        return None
    try:
        stream = staged_store().open(data["name"])
    except (UnsafeStoredName, FileNotFoundError):
        return None
    except OSError as failure:
        raise folder_unavailable(failure) from failure
    upload = FileStorage(stream=stream, filename=data["original"], name="audio_file")
    return upload, data["name"]


def discard(stored_name: str | None) -> None:
    """Remove a staged file (used or replaced)."""
    staged_store().delete(stored_name)


def discard_token(token: str | None) -> None:
    """Remove the staged file of a valid token of this user (without reading it)."""
    data = token_data(token) if token else None
    if data is not None:
        discard(data["name"])


def remove_stale(storage: FileStore) -> None:
    """Remove staged files older than STAGED_SECONDS (forms left unsent)."""
    try:
        stale = expired_staged(storage)
    except (OSError, StoreUnavailable) as failure:
        log.warning("Could not list staged files: %s", failure)
        return
    for name in stale:
        storage.delete(name)
