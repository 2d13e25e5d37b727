"""Sending stored files: never outside their area, never to shared caches, with byte
ranges and validators whether the file is on this machine or in an object store."""

import unicodedata
from urllib.parse import quote

from flask import Response, abort, current_app, redirect, request, send_file
from werkzeug.http import http_date, is_resource_modified

from app.media.file_store import FileStore, StoredFile, UnsafeStoredName

#: Browsers may keep a file for an hour; its ETag still revalidates a replaced one.
PRIVATE_MAX_AGE = 3600


def send_stored(
    store: FileStore,
    stored_name: str | None,
    *,
    mimetype: str | None,
    as_attachment: bool = False,
    download_name: str | None = None,
    max_age: int | None = None,
):
    """A stored file as a response (after the caller's permission check), or 404.

    Inline files answer Range (206/416) and conditional requests (304); a file in an
    object store is streamed through the app in bounded memory, or, with
    S3_PRESIGNED_REDIRECT, reached by a short-lived signed link.
    """
    try:
        path = store.local_path(stored_name) if stored_name else abort(404)
    except UnsafeStoredName:
        abort(404)
    mimetype = mimetype or "application/octet-stream"
    ignore_multiple_ranges()
    if path is not None:
        if not path.is_file():
            abort(404)
        response = send_file(
            path,
            mimetype=mimetype,
            as_attachment=as_attachment,
            download_name=download_name,
            conditional=True,
            etag=True,
            max_age=max_age,
        )
        if not download_name:
            # send_file names a file by its path when given no name: the stored name, which
            # never leaves the server (a cover is sent so).
            response.headers.set("Content-Disposition", disposition(as_attachment, None))
    else:
        stored = store.describe(stored_name)
        if stored is None:
            abort(404)
        if current_app.config["S3_PRESIGNED_REDIRECT"]:
            link = signed_link(store, stored_name, mimetype, as_attachment, download_name, max_age)
            if link is not None:
                return link
        response = streamed(store, stored, mimetype, max_age)
        response.headers.set("Content-Disposition", disposition(as_attachment, download_name))
    return private(response)


def private(response: Response) -> Response:
    """Permission-checked content: the user's browser may cache it, shared caches may not."""
    response.cache_control.public = False
    response.cache_control.private = True
    return response


def streamed(store: FileStore, stored: StoredFile, mimetype: str, max_age: int | None):
    """A file from a store that is not on this machine: 304, 416, 206 or 200, fetching only
    the bytes asked for."""
    headers = {"ETag": stored.etag, "Last-Modified": http_date(stored.modified)}
    headers["Accept-Ranges"] = "bytes"
    if not is_resource_modified(request.environ, etag=stored.etag, last_modified=stored.modified):
        return Response(status=304, headers=headers)
    start, stop, status = 0, stored.size, 200
    wanted = requested_range(stored)
    if wanted == "unsatisfiable":
        headers["Content-Range"] = f"bytes */{stored.size}"
        return Response(status=416, headers=headers)
    if wanted:
        (start, stop), status = wanted, 206
        headers["Content-Range"] = f"bytes {start}-{stop - 1}/{stored.size}"
    headers["Content-Length"] = str(stop - start)
    # HEAD gets the headers only: no object is fetched.
    body = () if request.method == "HEAD" else store.read(stored.name, start, stop)
    response = Response(body, status=status, mimetype=mimetype, headers=headers)
    response.direct_passthrough = True
    if max_age is not None:
        response.cache_control.max_age = max_age
    return response


def requested_range(stored: StoredFile):
    """(start, stop) of a satisfiable single Range, "unsatisfiable", or None for the whole
    file (no Range, or an If-Range the file no longer matches)."""
    if request.range is None or not request.range.ranges:
        return None
    if_range = request.if_range
    if if_range.etag and if_range.etag != stored.etag.strip('"'):
        return None
    if if_range.date and if_range.date < stored.modified.replace(microsecond=0):
        return None
    wanted = request.range.range_for_length(stored.size)
    return wanted if wanted else "unsatisfiable"


def disposition(as_attachment: bool, download_name: str | None) -> str:
    """Content-Disposition as Werkzeug's send_file writes it (ASCII name plus UTF-8 name)."""
    kind = "attachment" if as_attachment else "inline"
    if not download_name:
        return kind
    try:
        download_name.encode("ascii")
    except UnicodeEncodeError:
        folded = unicodedata.normalize("NFKD", download_name)
        ascii_name = folded.encode("ascii", "ignore").decode().replace('"', "")
        return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(download_name)}"
    return f'{kind}; filename="{download_name.replace(chr(34), "")}"'


def signed_link(store: FileStore, stored_name, mimetype, as_attachment, download_name, max_age):
    """A redirect to a short-lived signed address of a stored file (the permission check is
    done), or None when the store gives none: the app then sends the file itself."""
    seconds = current_app.config["S3_PRESIGNED_SECONDS"]
    url = store.signed_url(
        stored_name,
        seconds,
        content_type=mimetype,
        disposition=disposition(as_attachment, download_name),
        cache=f"private, max-age={min(max_age or 0, seconds)}",
    )
    if url is None:
        return None
    response = redirect(url, 302)
    # The link is a bearer credential for a few minutes: no cache may keep it.
    response.cache_control.no_store = True
    return response


def ignore_multiple_ranges() -> None:
    """Answer a request for several byte ranges with the whole file (200).

    Werkzeug serves one range and refuses several (or ones out of order) with 416,
    although they can be met; RFC 9110 lets a server ignore Range instead, which every
    client handles.
    """
    if "," in request.headers.get("Range", ""):
        request.environ.pop("HTTP_RANGE", None)
