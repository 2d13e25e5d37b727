"""Static files under content-hashed addresses, cached by browsers for a year.

Every `url_for('static', ...)` (and FAB's `appbuilder.static`) gets `?v=<hash of the file>`.
A request whose `v` is the file's current hash is answered with a far-future, immutable
Cache-Control: the browser asks for it again only when the file (so its address) changes.
Any other request for a static file (no `v`, an old or made-up one, a font named inside a
stylesheet) must revalidate (`no-cache`, answered 304 by its ETag when unchanged).
"""

import hashlib
import os

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

#: The endpoints that serve files from a static folder: ours and FAB's.
STATIC_ENDPOINTS = ("static", "appbuilder.static")
#: Requests a page makes for its files, which the access log leaves to DEBUG.
FILE_ENDPOINTS = (*STATIC_ENDPOINTS, "favicon")
VERSION_ARGUMENT = "v"
#: Hex digits of the SHA-256 kept in addresses (48 bits: no two versions of a file collide).
HASH_LENGTH = 12
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

#: (path, modification time, size) -> hash: each file is read once per version per process.
_hashes: dict[tuple[str, int, int], str] = {}


def static_folder(endpoint: str) -> str | None:
    """The folder an endpoint serves files from."""
    if endpoint == "static":
        return current_app.static_folder
    blueprint = current_app.blueprints.get(endpoint.partition(".")[0])
    return blueprint.static_folder if blueprint is not None else None


def file_hash(endpoint: str, filename: str) -> str | None:
    """The start of the file's SHA-256, or None when there is no such file."""
    folder = static_folder(endpoint)
    path = safe_join(folder, filename) if folder else None
    try:
        # A stat per address, so an edited file gets a new address without a restart.
        found = os.stat(path) if path else None
    except OSError:
        return None
    if found is None or not os.path.isfile(path):
        return None
    key = (path, found.st_mtime_ns, found.st_size)
    if key not in _hashes:
        with open(path, "rb") as file:
            _hashes[key] = hashlib.file_digest(file, "sha256").hexdigest()[:HASH_LENGTH]
    return _hashes[key]


def add_file_hash(endpoint: str, values: dict) -> None:
    """A url_defaults hook: give static addresses the file's hash as `v`."""
    if endpoint in STATIC_ENDPOINTS and "filename" in values and VERSION_ARGUMENT not in values:
        version = file_hash(endpoint, values["filename"])
        if version:
            values[VERSION_ARGUMENT] = version


def cache_static_files(response: Response) -> Response:
    """A year for a static file asked for by its current hash; revalidation otherwise."""
    if request.endpoint not in STATIC_ENDPOINTS or response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    offered = request.args.get(VERSION_ARGUMENT)
    matches = offered is not None and offered == file_hash(request.endpoint, filename)
    response.headers["Cache-Control"] = IMMUTABLE if matches else REVALIDATE
    return response


def register_static_files(app: Flask) -> None:
    """Hash static addresses, cache their files accordingly, answer /favicon.ico."""
    app.url_defaults(add_file_hash)
    app.after_request(cache_static_files)
    app.add_url_rule("/favicon.ico", "favicon", favicon)


def favicon() -> Response:
    """/favicon.ico, which browsers ask for on pages that name no icon (and some on every)."""
    response = current_app.send_static_file("favicon.ico")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
