"""A song's file (or a transcode of it) and an album's cover for music apps: stream,
download, getCoverArt.

Files are sent by the web's own code (app/views/catalog/sending.py): byte ranges, ETag and
Last-Modified, the upload folder or the bucket alike, S3_PRESIGNED_REDIRECT honoured. A
file that is gone is error 70; a store that cannot be reached is the blueprint's 503.
"""

import logging
from collections.abc import Callable

from flask import Response, current_app, request
from werkzeug.exceptions import NotFound, RequestedRangeNotSatisfiable

from app.audio_analysis.decoding import AnalysisFailed
from app.audio_analysis.transcoding import Profile
from app.extensions import db
from app.media.configured_stores import audio_store, cover_store
from app.media.cover_sizes import CoverSizes, cache_folder, served_size
from app.media.file_store import FileStore, UnsafeStoredName, display_name, file_extension
from app.media.transcodes import Busy, profile_for
from app.models import Album, Song
from app.subsonic.ids import ALBUM, SONG, parse, row_id
from app.subsonic.registry import DOWNLOAD, STREAM, Call, subsonic_method
from app.subsonic.shapes import content_type, safe, suffix
from app.subsonic.wire import NOT_AUTHORIZED, NOT_FOUND, SubsonicError
from app.views.catalog.sending import PRIVATE_MAX_AGE, send_stored
from app.views.catalog.transcoded import send_transcoded

log = logging.getLogger(__name__)

#: What the web's cover route asks of a user (AlbumModelView.cover: "show" on albums).
SEE_ALBUMS = ("can_show", "AlbumModelView")


def song_of(call: Call) -> Song:
    """The song named by the `id` parameter (error 10 without one, 70 when there is none)."""
    song = db.session.get(Song, row_id(call.params.required("id"), SONG))
    if song is None:
        raise SubsonicError(NOT_FOUND, "Song not found.")
    return song


def sent(store: FileStore, stored_name: str | None, what: str, **how) -> Response:
    """A stored file by the web's sending code (see answered)."""
    return answered(lambda: send_stored(store, stored_name, **how), what)


def answered(send: Callable[[], Response], what: str) -> Response:
    """send()'s answer; error 70 when the file is missing, and a bare 416 with the file's
    length for a range past its end (Subsonic's error body would hide the Content-Range a
    player needs)."""
    environ = request.environ
    method = environ["REQUEST_METHOD"]
    # OpenSubsonic's formPost makes a POST the same call as a GET (py-sonic streams by
    # POST), so its Range is met; Werkzeug would ignore it. request.method stays POST.
    environ["REQUEST_METHOD"] = "GET" if method == "POST" else method
    try:
        return send()
    except RequestedRangeNotSatisfiable as refused:
        headers = {"Accept-Ranges": "bytes"}
        if refused.length is not None:
            headers["Content-Range"] = f"bytes */{refused.length}"
        return Response(status=416, headers=headers)
    except (NotFound, FileNotFoundError, UnsafeStoredName):
        raise SubsonicError(NOT_FOUND, f"The {what} file is missing.") from None
    finally:
        environ["REQUEST_METHOD"] = method


@subsonic_method("stream", needs=STREAM)
def stream(call: Call) -> Response:
    """The song's file to play, with byte ranges (206, 416) and validators (304), or a
    transcode of it when `format` and `maxBitRate` ask for one (a malformed maxBitRate is
    error 0).

    `format=raw` is the original; `opus` is Opus 96 kbit/s; `mp3` is MP3 192 kbit/s (128
    under a maxBitRate below 192), or the original when it is an MP3 within the limit.
    Without a format (or with another), a maxBitRate below the song's bitrate picks the
    largest profile within it (Opus 96 below 96 kbit/s); 0 or one at or above the song's
    bitrate is the original (app/media/transcodes.py, profile_for). A cached transcode is
    ranged like the original; the first request of one streams while it is made (200, no
    ranges). A file that cannot be transcoded now (undecodable, or every encoding slot of
    the process taken) is sent as it is. `timeOffset` (OpenSubsonic's
    transcodeOffset) and `estimateContentLength` are ignored. Nothing is counted as a play
    here: clients call scrobble for that.
    """
    max_kbps = call.params.integer("maxBitRate", default=0, low=0)
    song = song_of(call)
    profile = profile_for(call.params.get("format"), max_kbps, song)
    if profile is not None and song.sha256:
        try:
            return transcoded(song, profile)
        except AnalysisFailed as failure:
            log.warning("Song %s sent untranscoded: %s", song.id, failure.reason)
        except Busy:
            log.info("Song %s sent untranscoded: every encoding slot is taken", song.id)
    return sent(
        audio_store(), song.audio_file, "song",
        mimetype=content_type(song), download_name=download_name(song), max_age=PRIVATE_MAX_AGE,
    )  # fmt: skip


def transcoded(song: Song, profile: Profile) -> Response:
    """A song in a profile, as sent() sends files (error 70 when its file is gone)."""
    name = display_name(f"{safe(song.title)}.{profile.suffix}")
    return answered(lambda: send_transcoded(song, profile, name), "song")


def download_name(song: Song) -> str:
    """The name a downloaded song is saved under: its title and extension ("Title.mp3"),
    never a stored name, with no path or control characters."""
    extension = suffix(song)
    return display_name(f"{safe(song.title)}.{extension}" if extension else safe(song.title))


@subsonic_method("download", needs=DOWNLOAD)
def download(call: Call) -> Response:
    """The song's original file as an attachment named after its title."""
    song = song_of(call)
    return sent(
        audio_store(), song.audio_file, "song",
        mimetype=content_type(song), as_attachment=True, download_name=download_name(song),
    )  # fmt: skip


def cover_album(call: Call) -> Album:
    """The album whose cover a coverArt id names: an album's id, or a song's (its album)."""
    kind, number = parse(call.params.required("id"), ALBUM, SONG)
    if kind == SONG:
        song = db.session.get(Song, number)
        number = song.album_id if song is not None else None
    album = db.session.get(Album, number) if number is not None else None
    if album is None or not album.cover_file:
        raise SubsonicError(NOT_FOUND, "Cover art not found.")
    return album


@subsonic_method("getCoverArt")
def get_cover_art(call: Call) -> Response:
    """An album's cover, to those who may see albums (as the web's cover route asks).

    With `size`, at most size x size pixels (aspect kept, never enlarged); sizes are bounded
    to 32-1200 and rounded up to a multiple of 32, and each is made once and then read from
    a cache (app/media/cover_sizes.py). A cover that cannot be decoded is sent as stored.
    """
    if not call.may(*SEE_ALBUMS):
        raise SubsonicError(NOT_AUTHORIZED, "User is not authorized to see albums.")
    asked = call.params.integer("size", default=0)
    album = cover_album(call)
    store = cover_store()
    # Named after the album's id, as the stored name must never be sent.
    name = f"cover-{album.id}"
    if asked > 0:
        cache = CoverSizes(cache_folder(current_app.config["UPLOAD_FOLDER"]))
        try:
            made = cache.resized(store, album.cover_file, served_size(asked))
        except (FileNotFoundError, UnsafeStoredName):
            raise SubsonicError(NOT_FOUND, "The cover file is missing.") from None
        if made is not None:
            entry, mimetype = made
            sized = f"{name}-{served_size(asked)}.{file_extension(entry)}"
            return sent(
                cache.store, entry, "cover",
                mimetype=mimetype, download_name=sized, max_age=PRIVATE_MAX_AGE,
            )  # fmt: skip
    return sent(
        store, album.cover_file, "cover", mimetype=album.cover_mime_type,
        download_name=f"{name}.{file_extension(album.cover_file)}", max_age=PRIVATE_MAX_AGE,
    )  # fmt: skip
