"""Staged uploads: a file that passed its checks survives a form sent back for another error.

The file waits in UPLOAD_FOLDER/staged under a token signed for the user who sent it; the
form carries the token, and sending the form again uses the file without choosing it anew.
Staged files are removed once used, replaced or an hour old.
"""

import logging
import time
from pathlib import Path

from flask import current_app
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import FileStorage

from app.media.storage import AudioStorage, UnsafeStoredName

log = logging.getLogger(__name__)
STAGED_FOLDER = "staged"
STAGED_SECONDS = 3600


def staged_storage() -> AudioStorage:
    """Where staged files wait: a folder inside the upload folder, never served."""
    return AudioStorage(Path(current_app.config["UPLOAD_FOLDER"]) / STAGED_FOLDER)


def signer() -> URLSafeTimedSerializer:
    """Signs and checks staging tokens with the app's secret."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="staged-upload")


def stage(upload: FileStorage, original_name: str) -> str:
    """Keep an upload for the next submission of the form; return its token."""
    storage = staged_storage()
    remove_stale(storage)
    stored = storage.save(upload.stream, original_name)
    return signer().dumps({"name": stored, "original": original_name, "user": current_user.id})


def unstage(token: str) -> tuple[FileStorage, str] | None:
    """(the staged file as an upload, its stored name) for a valid token of this user."""
    try:
        data = signer().loads(token, max_age=STAGED_SECONDS)
        path = staged_storage().path_for(data["name"])
    except (BadSignature, UnsafeStoredName, KeyError, TypeError):
        return None
    if not current_user.is_authenticated or data.get("user") != current_user.id:
        return None
    if not path.is_file():
        return None
    upload = FileStorage(stream=path.open("rb"), filename=data["original"], name="audio_file")
    return upload, data["name"]


def discard(stored_name: str | None) -> None:
    """Remove a staged file (used or replaced)."""
    staged_storage().delete(stored_name)


def remove_stale(storage: AudioStorage) -> None:
    """Remove staged files older than STAGED_SECONDS (forms left unsent)."""
    oldest = time.time() - STAGED_SECONDS
    for name in storage.stored_names():
        path = storage.path_for(name)
        try:
            if path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
        except OSError:
            log.exception("Could not remove stale staged file %s", name)
