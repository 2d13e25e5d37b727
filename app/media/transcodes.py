"""Transcoded streams kept in the audio store: made once per file and profile, then read.

A transcode is named after the file's SHA-256 and the profile
(``transcodes/<sha256>.<profile>.<suffix>`` in the audio store), so duplicates of one file
share theirs and a replaced file's go with its hash. The first request of a profile gets
`FreshTranscode`: bytes as FFmpeg makes them, kept in an anonymous temporary file and put
in the store only once complete (a client that leaves, or a failure, leaves nothing). Every
door (the web's stream route, Subsonic's stream) calls this; nothing here knows of Flask.
"""

import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import ExitStack

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.audio_analysis.decoding import AnalysisFailed
from app.audio_analysis.transcoding import PROFILES, Profile, transcode
from app.media.file_store import (
    FileStore,
    StoredFile,
    StoreUnavailable,
    UnsafeStoredName,
)
from app.media.local_files import local_copy
from app.models import Song

log = logging.getLogger(__name__)

#: The area of the audio store that holds transcodes (below the songs' files).
AREA = "transcodes"
SHA256 = re.compile(r"[0-9a-f]{64}")
#: Wall-clock bound of one first request: the encoding runs ~100x real time, so this only
#: ends a client that reads slower than playback, or a file that decodes forever.
BASE_SECONDS = 60
SECONDS_PER_SECOND = 1.5
MAX_SECONDS = 1800
#: First requests encoding at once in one process: each keeps a core busy, so more would
#: only slow every stream down; beyond it a request is told to come back soon (Busy).
MAX_ENCODES = os.cpu_count() or 2
ENCODES = threading.BoundedSemaphore(MAX_ENCODES)


class Busy(RuntimeError):
    """As many transcodes are being made in this process as it may make at once."""


def transcode_store(audio: FileStore) -> FileStore:
    """The area of the audio store where transcodes are kept."""
    return audio.area(AREA)


def cached_name(sha256: str | None, profile: Profile) -> str:
    """The stored name of a file's transcode; UnsafeStoredName for a hash that is none."""
    if not sha256 or not SHA256.fullmatch(sha256):
        raise UnsafeStoredName(str(sha256))
    return f"{sha256}.{profile.name}.{profile.suffix}"


def hash_of(name: str) -> str | None:
    """The SHA-256 a transcode's stored name starts with (None: not a transcode's name)."""
    sha256, _, rest = name.partition(".")
    profile = PROFILES.get(rest.rpartition(".")[0])
    if SHA256.fullmatch(sha256) and profile and name == cached_name(sha256, profile):
        return sha256
    return None


def time_limit(duration: float | None) -> float:
    """How long a first request may take to stream a song of this length (seconds)."""
    return min(MAX_SECONDS, BASE_SECONDS + SECONDS_PER_SECOND * (duration or 0))


def cached(audio: FileStore, sha256: str | None, profile: Profile) -> StoredFile | None:
    """The stored transcode of a file in this profile, or None when it is not made yet."""
    return transcode_store(audio).describe(cached_name(sha256, profile))


def remove_transcodes(audio: FileStore, sha256: str) -> None:
    """Remove every transcode of a file (failures are logged: check-files finds them)."""
    store = transcode_store(audio)
    for profile in PROFILES.values():
        store.delete(cached_name(sha256, profile))


def forget_unused(session: Session, audio: FileStore, hashes: Iterable[str | None]) -> None:
    """After a commit that deleted songs or replaced their files: remove the transcodes of
    the hashes no song has any more (a kept duplicate keeps its twin's)."""
    gone = {sha256 for sha256 in hashes if sha256 and SHA256.fullmatch(sha256)}
    if not gone:
        return
    try:
        kept = set(session.scalars(select(Song.sha256).where(Song.sha256.in_(gone))))
    except SQLAlchemyError:
        session.rollback()
        log.warning("Transcodes of %d file(s) left for check-files: no database", len(gone))
        return
    for sha256 in sorted(gone - kept):
        remove_transcodes(audio, sha256)


def profile_for(asked_format: str | None, max_kbps: int, song: Song) -> Profile | None:
    """The profile a music app's `format` and `maxBitRate` (kbit/s, 0: no limit) pick for a
    song, or None for its original file.

    "raw" is the original; "opus" is Opus 96; "mp3" is MP3 192, or 128 under a limit below
    192, or the original when it is an MP3 within the limit. Any other format (or none)
    is decided by the limit: the original within it, else the largest profile within it
    (Opus 96, the smallest, below 96 kbit/s). A song of unknown bitrate is sent as it is.
    """
    asked_format = (asked_format or "").lower()
    limit = max_kbps * 1000
    within = not limit or (song.bitrate is not None and song.bitrate <= limit)
    if asked_format == "raw":
        return None
    if asked_format == "opus":
        return PROFILES["opus-96"]
    if asked_format == "mp3":
        if (song.audio_format or "").upper() == "MP3" and within:
            return None
        return PROFILES["mp3-192" if not limit or limit >= 192_000 else "mp3-128"]
    if within or song.bitrate is None:
        return None
    fitting = [profile for profile in PROFILES.values() if profile.bitrate <= limit]
    return max(fitting, key=lambda profile: profile.bitrate, default=PROFILES["opus-96"])


class FreshTranscode:
    """A transcode streamed while it is made and cached once complete: an iterable for a
    WSGI answer, whose close() (a client gone) drops the copy and the encoder.

    Made in the request, so its failures come before the first byte is sent: AnalysisFailed
    (the file cannot be decoded), FileNotFoundError, StoreUnavailable, Busy.
    """

    def __init__(
        self, audio: FileStore, stored_name: str, sha256: str, profile: Profile, duration=None
    ):
        self.cache, self.name = transcode_store(audio), cached_name(sha256, profile)
        self._stack = ExitStack()
        if not ENCODES.acquire(blocking=False):
            raise Busy(f"{MAX_ENCODES} transcodes are being made")
        self._stack.callback(ENCODES.release)
        try:
            path = self._stack.enter_context(local_copy(audio, stored_name))
            # Anonymous (unlinked at once): nothing is left on disk whatever happens.
            self._copy = self._stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115
            self._chunks = transcode(path, profile, time_limit(duration))
            self._stack.callback(self._chunks.close)
            self._first = next(self._chunks, b"")
            if not self._first:
                raise AnalysisFailed("not decodable: nothing was encoded")
        except BaseException:
            self._stack.close()
            raise

    def __iter__(self) -> Iterator[bytes]:
        """The encoded bytes; once all are sent, the whole copy goes into the store."""
        try:
            chunk = self._first
            while chunk:
                self._copy.write(chunk)
                yield chunk
                chunk = next(self._chunks, b"")
            self._store()
        except AnalysisFailed as failure:
            # Headers are sent: the connection is cut, so the client knows it is short.
            log.warning("Transcode %s stopped: %s", self.name, failure.reason)
            raise
        finally:
            self.close()

    def _store(self) -> None:
        """Put the complete copy in the store; a store that fails only loses the cache."""
        try:
            self.cache.put(self._copy, self.name)
        except (OSError, StoreUnavailable) as failure:
            log.warning("Transcode %s not cached: %s", self.name, failure)

    def close(self) -> None:
        """Stop encoding, drop the copy, free the slot (a second call does nothing)."""
        self._stack.close()

    def __del__(self) -> None:
        # An answer dropped unsent (never closed) must not keep its slot forever.
        stack = getattr(self, "_stack", None)
        if stack is not None:
            stack.close()
