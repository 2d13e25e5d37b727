"""A song page's "Loudness" line: the measured numbers, or where its loudness job stands."""

from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _
from sqlalchemy import select

from app.audio_analysis.loudness import SILENT
from app.extensions import db
from app.jobs.loudness import KIND
from app.models.catalog import Song
from app.models.jobs import DONE, FAILED, QUEUED, RUNNING, Job

LOUDNESS = _("Loudness")
#: One decimal, as loudness meters show it; a gain says whether it raises or lowers.
LEVEL = "#,##0.0"
GAIN = "+#,##0.0;-#,##0.0"
#: What the runner puts before the reason an analysis gives for failing.
FAILED_PREFIX = "AnalysisFailed: "


def loudness_numbers(song: Song) -> str:
    """ "-9.3 LUFS · gain -8.7 dB · peak -0.4 dBTP · range 6.1 LU", in the page's locale."""
    return gettext(
        "%(lufs)s LUFS · gain %(gain)s dB · peak %(peak)s dBTP · range %(range)s LU",
        lufs=format_decimal(song.loudness_lufs, LEVEL),
        gain=format_decimal(song.track_gain_db, GAIN),
        peak=format_decimal(song.true_peak_db, LEVEL),
        range=format_decimal(song.loudness_range or 0.0, LEVEL),
    )


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
    if state == DONE:
        if song.loudness_lufs is not None:
            return loudness_numbers(song)
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
