"""The "Loudness" line of a song's or an album's page: the measured numbers, or where its
loudness job stands."""

from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _
from sqlalchemy import select

from app.audio_analysis.loudness import SILENT
from app.extensions import db
from app.jobs.album_loudness import KIND as ALBUM_KIND
from app.jobs.loudness import KIND
from app.models.catalog import Album, Song
from app.models.jobs import DONE, FAILED, QUEUED, RUNNING, Job

LOUDNESS = _("Loudness")
#: One decimal, as loudness meters show it; a gain says whether it raises or lowers.
LEVEL = "#,##0.0"
GAIN = "+#,##0.0;-#,##0.0"
#: What the runner puts before the reason an analysis gives for failing.
FAILED_PREFIX = "AnalysisFailed: "


def loudness_numbers(song: Song) -> str:
    """ "-9.3 LUFS · gain -8.7 dB · peak -0.4 dBTP · range 6.1 LU", in the page's locale."""
    line = gettext(
        "%(lufs)s LUFS · gain %(gain)s dB · peak %(peak)s dBTP · range %(range)s LU",
        lufs=format_decimal(song.loudness_lufs, LEVEL),
        gain=format_decimal(song.track_gain_db, GAIN),
        peak=format_decimal(song.true_peak_db, LEVEL),
        range=format_decimal(song.loudness_range or 0.0, LEVEL),
    )
    return units_kept(line)


def units_kept(line: str) -> str:
    """The line with a no-break space before each unit (dB, dBTP, LU, LUFS): a narrow
    column wraps between the parts, never between a number and its unit."""
    return line.replace(" dB", "\u00a0dB").replace(" LU", "\u00a0LU")


def song_loudness(song: Song) -> str:
    """The song's loudness line (plain text: the page escapes it). Read from its file's
    loudness job by the unique (sha256, kind) index: numbers of a file the song no longer
    has are not shown while the new file's job runs."""
    job = None
    if song.sha256:
        query = select(Job.state, Job.reason, Job.result)
        job = db.session.execute(query.where(Job.sha256 == song.sha256, Job.kind == KIND)).first()
    if job is None:
        return gettext("Not analysed yet")
    state, reason, result = job
    numbers = loudness_numbers(song) if song.loudness_lufs is not None else None
    return job_line(state, reason, result, numbers)


def job_line(state: str, reason: str | None, result: dict | None, numbers: str | None) -> str:
    """What a loudness job in this state says: the numbers once it is done."""
    if state == DONE:
        if numbers is not None:
            return numbers
        if (result or {}).get("state") == SILENT:
            return gettext("Silent: no loudness to measure")
        return gettext("Not analysed yet")
    if state in (QUEUED, RUNNING):
        return gettext("Analysing…")
    if state == FAILED:
        return gettext(
            "Analysis failed: %(reason)s", reason=(reason or "").removeprefix(FAILED_PREFIX)
        )
    # Waiting for a program the kind needs (ffmpeg), with the reason saying which.
    return gettext("Not analysed yet (%(reason)s)", reason=reason or "")


def album_loudness(album: Album) -> str:
    """The album's loudness line: its songs played as one, read from the job of the
    album's current loudness key (values of songs it no longer has are not shown while
    the new job runs)."""
    job = None
    if album.loudness_key:
        query = select(Job.state, Job.reason, Job.result).where(
            Job.sha256 == album.loudness_key, Job.kind == ALBUM_KIND
        )
        job = db.session.execute(query).first()
    if job is None:
        return gettext("Not analysed yet")
    numbers = None
    if None not in (album.loudness_lufs, album.album_gain_db, album.true_peak_db):
        numbers = units_kept(
            gettext(
                "%(lufs)s LUFS · album gain %(gain)s dB · peak %(peak)s dBTP",
                lufs=format_decimal(album.loudness_lufs, LEVEL),
                gain=format_decimal(album.album_gain_db, GAIN),
                peak=format_decimal(album.true_peak_db, LEVEL),
            )
        )
    return job_line(*job, numbers)
