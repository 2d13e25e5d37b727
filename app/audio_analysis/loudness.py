"""EBU R128 loudness and ReplayGain 2.0 gains, measured by FFmpeg's own ``ebur128`` filter."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.audio_analysis.decoding import (
    Deadline,
    decoded_frames,
    file_shape,
    open_audio,
    require_available,
    stream_shape,
)

#: ReplayGain 2.0's reference level: a track at -18 LUFS needs no gain.
REPLAYGAIN_REFERENCE_LUFS = -18.0
#: ebur128 reports -70 LUFS (its absolute gate) when no block is loud enough: silence.
SILENCE_LUFS = -70.0
#: The filter writes its values with three decimals; the peak branch is lifted by 40 dB so
#: the peak of a quiet track keeps its precision (the level branch is never lifted: the
#: absolute gate must see the true level).
PEAK_LIFT_DB = 40.0
MEASURED = "measured"
SILENT = "silent"


@dataclass(frozen=True)
class Loudness:
    """A track's or album's loudness; gain and true peak are None when it is silent."""

    state: str
    integrated_lufs: float | None
    loudness_range_lu: float
    true_peak_dbtp: float | None
    duration_seconds: float

    @property
    def gain_db(self) -> float | None:
        """ReplayGain 2.0 gain: -18 LUFS minus the integrated loudness (None when silent)."""
        if self.integrated_lufs is None:
            return None
        return round(REPLAYGAIN_REFERENCE_LUFS - self.integrated_lufs, 2)

    @property
    def peak(self) -> float:
        """The true peak as a linear sample value (1.0 = full scale), as ReplayGain stores it."""
        if self.true_peak_dbtp is None:
            return 0.0
        return round(10 ** (self.true_peak_dbtp / 20), 6)


def loudness(path: str | Path, time_limit: float = 120.0) -> Loudness:
    """One file's loudness, as ``ffmpeg -af ebur128=peak=true`` measures it."""
    return album_loudness([path], time_limit=time_limit)


def album_loudness(paths: Iterable[str | Path], time_limit: float = 600.0) -> Loudness:
    """The loudness of the files played one after another (ReplayGain 2.0 album gain)."""
    require_available()
    paths = list(paths)
    if not paths:
        raise ValueError("album_loudness needs at least one file")
    deadline = Deadline(time_limit)
    # One file is measured in its own format; an album like ffmpeg's concat filter makes it:
    # one format for all, the widest layout, one common rate.
    shapes = [file_shape(path) for path in paths] if len(paths) > 1 else None
    meter = None
    for path in paths:
        with open_audio(path) as (container, stream):
            if meter is None:
                rate, layout, _channels, _length = stream_shape(container, stream)
                if shapes:
                    rates = {shape[0] for shape in shapes}
                    rate = rates.pop() if len(rates) == 1 else 48000
                    layout = max(shapes, key=lambda shape: shape[2])[1]
                meter = Meter(rate, layout)
            meter.start_file()
            for frame in decoded_frames(container, stream, deadline):
                meter.feed(frame)
            meter.end_file()
    return meter.result()


class Meter:
    """A filter graph: asplit -> ebur128 (levels), and -> +40 dB -> ebur128 (true peak)."""

    def __init__(self, rate: int, layout: str):
        import av

        self.graph = av.filter.Graph()
        self.source = self.graph.add_abuffer(
            sample_rate=rate, format="dbl", layout=layout, time_base=f"1/{rate}"
        )
        split = self.graph.add("asplit", "2")
        levels = self.graph.add("ebur128", "metadata=1")
        lift = self.graph.add("volume", f"volume={PEAK_LIFT_DB}dB:precision=double")
        peaks = self.graph.add("ebur128", "peak=true:metadata=1")
        self.level_sink = self.graph.add("abuffersink")
        self.peak_sink = self.graph.add("abuffersink")
        self.source.link_to(split)
        split.link_to(levels, 0, 0)
        split.link_to(lift, 1, 0)
        levels.link_to(self.level_sink)
        lift.link_to(peaks)
        peaks.link_to(self.peak_sink)
        self.graph.configure()
        self.av = av
        self.rate = rate
        self.layout = layout
        self.resampler = None
        self.samples = 0
        self.levels: dict = {}
        self.peaks: dict = {}

    def start_file(self) -> None:
        """Begin a file: its frames are converted to the meter's one format."""
        self.resampler = self.av.AudioResampler(format="dbl", layout=self.layout, rate=self.rate)

    def feed(self, frame) -> None:
        """Measure one decoded frame of the current file."""
        frame.pts = None
        for converted in self.resampler.resample(frame):
            self.push(converted)

    def end_file(self) -> None:
        """End the current file (the resampler's last samples are measured)."""
        for converted in self.resampler.resample(None):
            self.push(converted)

    def push(self, frame) -> None:
        """Feed one frame (or None at the end) and keep the newest measurements."""
        if frame is not None:
            frame.pts = self.samples
            self.samples += frame.samples
        self.source.push(frame)
        self.levels = self._drain(self.level_sink, self.levels)
        self.peaks = self._drain(self.peak_sink, self.peaks)

    def _drain(self, sink, newest: dict) -> dict:
        """Pull every waiting frame; the last one carrying ebur128's values wins."""
        while True:
            try:
                frame = sink.pull()
            except (self.av.BlockingIOError, self.av.EOFError):
                return newest
            if "lavfi.r128.I" in frame.metadata:
                newest = dict(frame.metadata)

    def result(self) -> Loudness:
        """The measurements once every file has been fed."""
        self.push(None)
        duration = self.samples / self.rate
        if not self.levels:  # shorter than ebur128's first 100 ms step
            return Loudness(SILENT, None, 0.0, None, duration)
        integrated = float(self.levels["lavfi.r128.I"])
        loudness_range = round(float(self.levels["lavfi.r128.LRA"]), 3)
        lifted_peak = float(self.peaks.get("lavfi.r128.true_peak", 0.0))
        peak_db = None
        if lifted_peak > 0:
            peak_db = round(20 * math.log10(lifted_peak) - PEAK_LIFT_DB, 3)
        if integrated <= SILENCE_LUFS or not math.isfinite(integrated):
            return Loudness(SILENT, None, loudness_range, peak_db, duration)
        return Loudness(MEASURED, round(integrated, 3), loudness_range, peak_db, duration)
