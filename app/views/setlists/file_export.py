"""A setlist as a file: M3U8, XSPF or CSV, streamed from the database a chunk at a time.

The entries are read in their order CHUNK at a time by keyset ((position, id) after the last
one sent, from the (setlist_id, position, id) index): one statement per chunk, and only one
chunk in memory, however long the setlist. Only those who may see the setlist get it (a
plain 404 otherwise); exports count against the catalog export's limits (export_limits.py).
"""

import re
import unicodedata
from collections.abc import Callable, Iterator
from urllib.parse import quote

from flask import Response, abort, stream_with_context
from flask_appbuilder import BaseView, expose, has_access
from sqlalchemy import select, tuple_

from app.database import as_integer
from app.extensions import db
from app.models import Album, Author, SetlistEntry, Song
from app.models.setlists import Setlist
from app.security.roles import SETLIST_VIEW
from app.security.setlist_access import current_actor
from app.setlists.formats import Track, csv_chunks, m3u8_chunks, one_line, xspf_chunks
from app.setlists.rules import SetlistNotFound, find
from app.views.editing.export import calling_when_done
from app.views.editing.export_limits import throttled

#: Entries read from the database at a time.
CHUNK = 500
#: Longest file name offered (before the extension); browsers and disks take more.
FILE_NAME_LENGTH = 100
#: Format -> (media type, writer taking the tracks and the setlist's name).
FORMATS: dict[str, tuple[str, Callable[[Iterator[Track], str], Iterator[str]]]] = {
    "m3u8": ("audio/x-mpegurl", lambda tracks, _name: m3u8_chunks(tracks)),
    "xspf": ("application/xspf+xml", lambda tracks, name: xspf_chunks(tracks, name)),
    "csv": ("text/csv", lambda tracks, _name: csv_chunks(tracks)),
}


def tracks(setlist_id: int) -> Iterator[Track]:
    """The setlist's entries in order as Tracks, read CHUNK at a time (one statement each)."""
    chunk = CHUNK
    columns = (
        SetlistEntry.position,
        SetlistEntry.id,
        SetlistEntry.note,
        Song.title.label("title"),
        Author.name.label("artist"),
        Album.title.label("album"),
        Song.duration,
        Song.original_filename,
    )
    base = (
        select(*columns)
        .join(Song, Song.id == SetlistEntry.song_id)
        .join(Album, Album.id == Song.album_id)
        .join(Author, Author.id == Album.author_id)
        .where(SetlistEntry.setlist_id == setlist_id)
        .order_by(SetlistEntry.position, SetlistEntry.id)
        .limit(chunk)
    )
    after, number = None, 0
    while True:
        query = base
        if after is not None:
            query = query.where(tuple_(SetlistEntry.position, SetlistEntry.id) > tuple_(*after))
        rows = db.session.execute(query).all()
        for row in rows:
            number += 1
            yield Track(
                row.title,
                row.artist,
                row.album,
                row.duration,
                row.original_filename,
                row.note,
                number,
            )
        if len(rows) < chunk:
            return
        after = (rows[-1].position, rows[-1].id)


def ascii_name(name: str) -> str:
    """A file name any browser and disk takes: letters without accents, digits, spaces,
    dots, dashes and underscores; "setlist" when nothing is left."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    kept = re.sub(r"[^A-Za-z0-9 ._-]+", "-", folded)
    return re.sub(r"-{2,}", "-", kept).strip(" .-")[:FILE_NAME_LENGTH].strip(" .-") or "setlist"


def disposition(name: str, extension: str) -> str:
    """Content-Disposition for a download named after the setlist: a plain ASCII filename,
    plus RFC 6266's filename* in UTF-8 when the name has more than ASCII says (no path,
    quote or line break can get in: both are built from cleaned names)."""
    plain = f"{ascii_name(name)}.{extension}"
    header = f'attachment; filename="{plain}"'
    whole = re.sub(r'[/\\:*?"<>|]+', "-", one_line(name))[:FILE_NAME_LENGTH].strip(" .-")
    if whole and f"{whole}.{extension}" != plain:
        header += f"; filename*=UTF-8''{quote(f'{whole}.{extension}', safe='')}"
    return header


class SetlistFileView(BaseView):
    """`/setlists/<id>/export.<m3u8|xspf|csv>`: a setlist as a playlist file."""

    route_base = "/setlists"
    class_permission_name = SETLIST_VIEW
    method_permission_name = {"export": "show"}
    default_view = "export"

    @expose("/<pk>/export.<kind>")
    @has_access
    def export(self, pk: str, kind: str):
        """The file, streamed within the export limits; 404 for an unknown format or a
        setlist the user may not see (whether or not it exists)."""
        setlist_id = as_integer(pk)
        if kind not in FORMATS or setlist_id is None:
            abort(404)
        try:
            setlist = find(db.session, setlist_id, *current_actor().as_viewer())
        except SetlistNotFound:
            abort(404)
        return throttled(lambda release: file_response(setlist, kind, release))


def file_response(setlist: Setlist, kind: str, release: Callable[[], None]) -> Response:
    """The streamed file; `release()` once the stream has ended."""
    mimetype, writer = FORMATS[kind]
    setlist_id, name = setlist.id, setlist.name
    chunks = (text.encode() for text in writer(tracks(setlist_id), name))
    return Response(
        stream_with_context(calling_when_done(chunks, release)),
        mimetype=mimetype,
        headers={
            "Content-Disposition": disposition(name, kind),
            "X-Content-Type-Options": "nosniff",
        },
    )
