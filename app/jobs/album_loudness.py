"""The "album-loudness" kind: an album's ReplayGain 2.0 album gain, its songs played as one.

Its job's key (the job row's sha256) is the album's loudness key: a SHA-256 over the
sorted SHA-256s of the album's song files, so the same songs give the same key and one job
(renumbering tracks changes nothing: the loudness of the whole does not depend on the
order). When a commit adds, removes, moves or replaces a song file, the albums it touched
get their new key stored on the album and, unless a job of that key is done already (its
values are copied), a job queued and sent after the commit. `save` writes the values to the
albums whose key is still the job's: a later change wins. An album left with no files has
its values cleared (app/jobs/album_queueing.py does that part).
"""

import hashlib
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import audio_analysis
from app.audio_analysis.loudness import SILENT, album_loudness
from app.jobs.kinds import JobKind, register_kind
from app.jobs.loudness import CPU_SECONDS, MEMORY_BYTES, analysis_available
from app.models.catalog import Album, Song
from app.models.jobs import Job

KIND = "album-loudness"
#: The album's columns, all None while it has no values.
CLEARED = {"loudness_lufs": None, "true_peak_db": None, "album_gain_db": None, "album_peak": None}


def album_key(hashes: Iterable[str]) -> str | None:
    """The loudness key of an album whose song files have these SHA-256s (None: no file)."""
    ordered = sorted(hashes)
    if not ordered:
        return None
    return hashlib.sha256("\n".join(ordered).encode("ascii")).hexdigest()


def member_rows(session: Session, album_id: int) -> list[tuple[int, str, str, str]]:
    """(song id, title, stored name, sha256) of the album's songs with a file, in running
    order (disc, track, id)."""
    query = (
        select(Song.id, Song.title, Song.audio_file, Song.sha256)
        .where(Song.album_id == album_id, Song.sha256.is_not(None))
        .order_by(Song.disc_number.nulls_first(), Song.track_number.nulls_first(), Song.id)
    )
    return [tuple(row) for row in session.execute(query)]


def members(session: Session, job: Job) -> list[tuple[str, str]] | None:
    """[(song title, stored name)] of the album the job measures; None when no album's
    songs have the job's key any more (the job was superseded)."""
    albums = select(Album.id).where(Album.loudness_key == job.sha256).order_by(Album.id)
    for album_id in session.scalars(albums):
        rows = member_rows(session, album_id)
        if album_key(row[3] for row in rows) == job.sha256:
            return [(title, stored) for _id, title, stored, _sha in rows]
    return None


def measured_in_child(paths: list[Path], time_limit: float):
    """("ok", Loudness) of the files played as one, or ("failed", index, reason) naming the
    first file that fails (each is opened first; after a failure, each is measured alone)."""
    from app.audio_analysis.decoding import file_shape

    for index, path in enumerate(paths):
        try:
            file_shape(path)
        except audio_analysis.AnalysisFailed as failure:
            return ("failed", index, failure.reason)
    try:
        return ("ok", album_loudness(paths, time_limit=time_limit))
    except audio_analysis.AnalysisFailed as failure:
        for index, path in enumerate(paths):
            try:
                audio_analysis.loudness(path, time_limit=time_limit)
            except audio_analysis.AnalysisFailed as alone:
                return ("failed", index, alone.reason)
        return ("failed", None, failure.reason)


def measure(copies: list[tuple[str, Path]]) -> dict:
    """The album's loudness over the local copies of its songs' files, under CPU and memory
    limits (a track's CPU allowance per song); a broken song fails the job naming it."""
    paths = [path for _title, path in copies]
    cpu = CPU_SECONDS * len(paths)
    answer = audio_analysis.run_limited(
        measured_in_child, paths, cpu, cpu_seconds=cpu, memory_bytes=MEMORY_BYTES
    )
    if answer[0] == "failed":
        _failed, index, reason = answer
        for _title, path in copies:  # stored names never leave the server
            reason = reason.replace(str(path), "the file")
        if index is not None:
            reason = f"the song “{copies[index][0]}”: {reason}"
        raise audio_analysis.AnalysisFailed(reason)
    level = answer[1]
    return {
        "state": level.state,
        "integrated_lufs": level.integrated_lufs,
        "true_peak_dbtp": level.true_peak_dbtp,
        "gain_db": level.gain_db,
        "peak": level.peak,
        "duration_seconds": level.duration_seconds,
        "songs": len(paths),
    }


def album_columns(result: dict) -> dict:
    """The album's loudness columns from a job's result: all None for a silent album."""
    if result.get("state") == SILENT:
        return dict(CLEARED)
    return {
        "loudness_lufs": result["integrated_lufs"],
        "true_peak_db": result["true_peak_dbtp"],
        "album_gain_db": result["gain_db"],
        "album_peak": result["peak"],
    }


def save(session: Session, job: Job, result: dict) -> None:
    """The values onto the albums whose key is still the job's (no commit: the runner's)."""
    values = album_columns(result)
    session.execute(update(Album).where(Album.loudness_key == job.sha256).values(**values))


ALBUM_LOUDNESS = register_kind(
    JobKind(KIND, measure, save=save, available=analysis_available, members=members)
)
