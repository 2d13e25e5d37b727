"""The "loudness" kind: a song's EBU R128 loudness, ReplayGain 2.0 gain and waveform.

`compute` decodes the file once (app.audio_analysis.analyse) in a forked child under CPU
and memory limits, so a file that makes a decoder spin or swell fails its own job only.
`save` writes the numbers to every song with the file (a kept duplicate shares its twin's
job: the key is the SHA-256) and the waveform's bytes to the song row only: the job row
keeps the numbers, a few hundred bytes, not the 4 KB drawing.
"""

import base64
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import audio_analysis
from app.audio_analysis.loudness import SILENT
from app.jobs.kinds import JobKind, register_kind
from app.models.catalog import Song
from app.models.jobs import Job

KIND = "loudness"
#: A song's analysis runs at 80-190x real time: two minutes of CPU is a four-hour file.
CPU_SECONDS = 120
#: What the child may add to the worker's memory (decoding needs about 20 MiB).
MEMORY_BYTES = 1024 * 2**20
#: The result's key of the waveform on its way from `compute` to `save`.
WAVEFORM = "waveform"


def measure(path: Path) -> dict:
    """The file's loudness numbers and its waveform (base64), measured under limits."""
    try:
        analysis = audio_analysis.run_limited(
            audio_analysis.analyse, path, cpu_seconds=CPU_SECONDS, memory_bytes=MEMORY_BYTES
        )
    except audio_analysis.AnalysisFailed as failure:
        # FFmpeg names the local copy (after the stored name) in some errors; song pages
        # show the reason, and stored names never leave the server.
        raise audio_analysis.AnalysisFailed(failure.reason.replace(str(path), "the file")) from None
    level = analysis.loudness
    return {
        "state": level.state,
        "integrated_lufs": level.integrated_lufs,
        "loudness_range_lu": level.loudness_range_lu,
        "true_peak_dbtp": level.true_peak_dbtp,
        "gain_db": level.gain_db,
        "peak": level.peak,
        "duration_seconds": level.duration_seconds,
        WAVEFORM: base64.b64encode(analysis.waveform.to_bytes()).decode("ascii"),
    }


def song_columns(result: dict) -> dict:
    """The song's loudness columns from a job's result: all None for a silent file."""
    silent = result["state"] == SILENT
    return {
        "loudness_lufs": None if silent else result["integrated_lufs"],
        "loudness_range": None if silent else result["loudness_range_lu"],
        "true_peak_db": None if silent else result["true_peak_dbtp"],
        "track_gain_db": None if silent else result["gain_db"],
        "track_peak": None if silent else result["peak"],
    }


def save(session: Session, job: Job, result: dict) -> None:
    """The numbers and the waveform onto the file's songs (no commit: the runner's)."""
    # Taken out of the result: the runner keeps what is left on the job row.
    drawing = result.pop(WAVEFORM, None)
    values = song_columns(result)
    if drawing is not None:
        values[WAVEFORM] = base64.b64decode(drawing)
    else:
        # A done job saved again for a song given a known file (app/jobs/queueing.py):
        # the drawing is on the songs that already have the file.
        twin = select(Song.waveform).where(Song.sha256 == job.sha256, Song.waveform.is_not(None))
        values[WAVEFORM] = twin.limit(1).scalar_subquery()
    session.execute(update(Song).where(Song.sha256 == job.sha256).values(**values))


def forget(session: Session, song_id: int) -> None:
    """Clear the song's loudness and waveform: they describe a file it no longer has."""
    cleared = dict.fromkeys((*song_columns({"state": SILENT}), WAVEFORM))
    session.execute(update(Song).where(Song.id == song_id).values(**cleared))


def analysis_available() -> bool:
    """Whether FFmpeg's libraries (PyAV) are there to measure with."""
    return audio_analysis.available()[0]


LOUDNESS = register_kind(
    JobKind(KIND, measure, save=save, available=analysis_available, needs="ffmpeg", forget=forget)
)
