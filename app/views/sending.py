"""Sending stored files: never outside their folder, never to shared caches."""

from flask import abort, request, send_file

from app.media.storage import AudioStorage, UnsafeStoredName

#: Browsers may keep a file for an hour; its ETag still revalidates a replaced one.
PRIVATE_MAX_AGE = 3600


def send_stored(storage: AudioStorage, stored_name: str | None, **send_file_options):
    """Send a stored file with Flask's send_file, or 404 when it is unsafe or missing."""
    if not stored_name:
        abort(404)
    try:
        path = storage.path_for(stored_name)
    except UnsafeStoredName:
        abort(404)
    if not path.is_file():
        abort(404)
    ignore_multiple_ranges()
    response = send_file(path, **send_file_options)
    # Permission-checked content: the user's browser may cache it, shared caches may not.
    response.cache_control.public = False
    response.cache_control.private = True
    return response


def ignore_multiple_ranges() -> None:
    """Answer a request for several byte ranges with the whole file (200).

    Werkzeug serves one range and refuses several (or ones out of order) with 416,
    although they can be met; RFC 9110 lets a server ignore Range instead, which every
    client handles.
    """
    if "," in request.headers.get("Range", ""):
        request.environ.pop("HTTP_RANGE", None)
