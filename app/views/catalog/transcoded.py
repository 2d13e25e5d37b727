"""Transcoded streams as answers (after the caller's permission check): a cached transcode
is sent like any stored file (ranges 206/416, ETag, 304); the first request of a profile
gets the bytes while FFmpeg makes them (a chunked 200 without ranges), cached once complete.

The database session ends when the view returns, before the body is sent: the encoding
never holds a transaction.
"""

import logging

from flask import Response, abort, make_response, request
from flask_babel import lazy_gettext as _

from app.audio_analysis.decoding import AnalysisFailed
from app.audio_analysis.transcoding import PROFILES, Profile
from app.media.configured_stores import audio_store
from app.media.file_store import UnsafeStoredName, display_name
from app.media.transcodes import Busy, FreshTranscode, cached, cached_name, transcode_store
from app.models import Song
from app.views.catalog.sending import PRIVATE_MAX_AGE, disposition, private, send_stored
from app.web.pages import message_page

log = logging.getLogger(__name__)

UNKNOWN_PROFILE = _("There is no stream profile “%(name)s”. Choose one of: %(names)s.")
NOT_TRANSCODED = _("This song cannot be streamed in that format")
PLAY_THE_ORIGINAL = _(
    "Its file could not be converted, so no lighter stream can be made of it. "
    "The original file still plays."
)
TOO_BUSY = _("Too many songs are being converted right now")
TRY_SOON = _("Please try again in a few seconds, or play the original file.")
#: Seconds a client is asked to wait when every encoding slot is taken.
BUSY_RETRY_AFTER = 10
#: What is shown of an unknown profile name (it comes from the address).
SHOWN_NAME_LENGTH = 40


def asked_profile() -> Profile | None:
    """The `profile` the address asks for (None: the original); 400 for an unknown one."""
    name = request.args.get("profile")
    if name is None:
        return None
    profile = PROFILES.get(name)
    if profile is None:
        names = ", ".join(sorted(PROFILES))
        abort(
            400,
            description=str(UNKNOWN_PROFILE % {"name": name[:SHOWN_NAME_LENGTH], "names": names}),
        )
    return profile


def transcoded_name(song: Song, profile: Profile) -> str:
    """The name a transcoded song is offered under: its original name, the profile's suffix."""
    stem = display_name(song.original_filename or song.title).rpartition(".")
    return display_name(f"{stem[0] or stem[2]}.{profile.suffix}")


def send_transcoded(song: Song, profile: Profile, download_name: str | None = None):
    """A song in a profile, from the cache or made now. Raises AnalysisFailed (the file
    cannot be decoded), FileNotFoundError or UnsafeStoredName (no file, or no hash), Busy
    (every encoding slot taken) and StoreUnavailable (the app's 503)."""
    audio = audio_store()
    download_name = download_name or transcoded_name(song, profile)
    if cached(audio, song.sha256, profile) is not None:
        return send_stored(
            transcode_store(audio),
            cached_name(song.sha256, profile),
            mimetype=profile.content_type,
            download_name=download_name,
            max_age=PRIVATE_MAX_AGE,
        )
    headers = {
        "Content-Disposition": disposition(False, download_name),
        # Ranges come once the transcode is cached; nginx must not hold the chunks back.
        "Accept-Ranges": "none",
        "X-Accel-Buffering": "no",
    }
    body = () if request.method == "HEAD" else FreshTranscode(
        audio, song.audio_file, song.sha256, profile, song.duration
    )  # fmt: skip
    response = private(Response(body, mimetype=profile.content_type, headers=headers))
    # The cached copy will carry validators; this one is not to be kept.
    response.cache_control.no_store = True
    return response


def web_transcoded(song: Song, profile: Profile):
    """send_transcoded for the web's stream route: a page saying the file cannot be
    converted (422), or 404 when its file is gone."""
    try:
        if not song.sha256:  # an old row without a hash: nothing to cache it under
            raise AnalysisFailed("the song's file has no SHA-256")
        return send_transcoded(song, profile)
    except AnalysisFailed as failure:
        log.warning("Song %s not transcoded to %s: %s", song.id, profile.name, failure.reason)
        return message_page(
            NOT_TRANSCODED, PLAY_THE_ORIGINAL, status=422, level="warning", back=True
        )
    except Busy:
        page = make_response(message_page(TOO_BUSY, TRY_SOON, status=503, level="warning"))
        page.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
        return page
    except (FileNotFoundError, UnsafeStoredName):
        abort(404)
