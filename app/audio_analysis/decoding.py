"""Opening and decoding audio with PyAV under a time limit, failing with a reason."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

# PyAV is imported where audio is opened, not here: it costs every start ~60 ms (the web
# only decodes for jobs and transcodes). Without it the app still starts; jobs report
# "waiting for ffmpeg" (available()).

log = logging.getLogger(__name__)

#: What the jobs need from the bundled FFmpeg: the loudness meter and both encoders.
NEEDED_FILTERS = ("ebur128", "asplit", "volume", "abuffersink")
NEEDED_CODECS = ("libopus", "libmp3lame")
#: A few broken packets are normal in real files (ffmpeg skips them too); mostly broken is not.
MAX_BROKEN_SHARE = 0.5


class AnalysisFailed(Exception):
    """A file could not be analysed or transcoded; ``reason`` says why, for the job's record."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@cache
def available() -> tuple[bool, str]:
    """Whether FFmpeg's libraries (through PyAV) can do the work, and if not why; logged once."""
    try:
        import av
    except ImportError as error:
        av = None
        reason = f"PyAV (FFmpeg libraries) is not installed: {error}"
    else:
        from av.filter import filters_available

        missing = [name for name in NEEDED_FILTERS if name not in filters_available]
        missing += [name for name in NEEDED_CODECS if name not in av.codecs_available]
        reason = f"FFmpeg lacks {', '.join(missing)}" if missing else ""
    if reason:
        log.warning("Audio analysis is off: %s", reason)
    return (not reason, reason or f"FFmpeg {av.ffmpeg_version_info} through PyAV {av.__version__}")


def require_available() -> None:
    """Raise AnalysisFailed when FFmpeg's libraries are missing."""
    ok, reason = available()
    if not ok:
        raise AnalysisFailed(f"waiting for ffmpeg: {reason}")


class Deadline:
    """A wall-clock time limit, checked between packets."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def check(self) -> None:
        """Raise AnalysisFailed once the time is up."""
        if time.monotonic() > self.ends:
            raise AnalysisFailed(f"ran over its time limit of {self.seconds:g} s")


@contextmanager
def open_audio(path: str | Path):
    """The opened container and its first audio stream; AnalysisFailed if there is none."""
    require_available()
    import av

    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, OSError, UnicodeDecodeError) as error:
        raise AnalysisFailed(f"not decodable: {error}") from error
    try:
        if not container.streams.audio:
            raise AnalysisFailed("no audio stream")
        stream = container.streams.audio[0]
        if stream.codec_context is None or not stream.codec_context.sample_rate:
            raise AnalysisFailed("not decodable: the audio stream has no sample rate")
        yield container, stream
    finally:
        container.close()


def decoded_frames(container, stream, deadline: Deadline) -> Iterator:
    """Every decoded frame of an opened audio stream in order; broken packets skipped."""
    import av

    samples = broken = packets = 0
    try:
        for packet in container.demux(stream):
            deadline.check()
            packets += 1
            try:
                frames = stream.decode(packet)
            except av.FFmpegError:
                broken += 1
                continue
            for frame in frames:
                samples += frame.samples
                yield frame
    except av.FFmpegError as error:
        raise AnalysisFailed(f"not decodable: {error}") from error
    if not samples:
        raise AnalysisFailed("not decodable: no audio decoded")
    if broken > MAX_BROKEN_SHARE * packets:
        raise AnalysisFailed(f"not decodable: {broken} of {packets} packets broken")


def stream_shape(container, stream) -> tuple[int, str, int, int]:
    """(sample rate, layout name, channel count, length in samples or 0 if unknown)."""
    context = stream.codec_context
    rate = context.sample_rate
    if stream.duration and stream.time_base:
        length = int(stream.duration * stream.time_base * rate)
    elif container.duration:
        length = int(container.duration / 1_000_000 * rate)
    else:
        length = 0
    return rate, context.layout.name, context.layout.nb_channels, length


def file_shape(path: str | Path) -> tuple[int, str, int, int]:
    """stream_shape of a file's first audio stream."""
    with open_audio(path) as (container, stream):
        return stream_shape(container, stream)
