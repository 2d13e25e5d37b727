"""A song's whole analysis job in one decoding pass: its loudness and its waveform."""

from dataclasses import dataclass
from pathlib import Path

from app.audio_analysis.decoding import (
    Deadline,
    decoded_frames,
    open_audio,
    require_available,
    stream_shape,
)
from app.audio_analysis.loudness import Loudness, Meter
from app.audio_analysis.waveform import Waveform, WaveformDrawing


@dataclass(frozen=True)
class SongAnalysis:
    """What a song's analysis job stores: loudness and waveform."""

    loudness: Loudness
    waveform: Waveform


def analyse(path: str | Path, points: int = 1000, time_limit: float = 180.0) -> SongAnalysis:
    """loudness(path) and waveform(path, points), decoding the file once instead of twice."""
    require_available()
    deadline = Deadline(time_limit)
    with open_audio(path) as (container, stream):
        shape = stream_shape(container, stream)
        meter = Meter(shape[0], shape[1])
        drawing = WaveformDrawing(shape, points)
        meter.start_file()
        for frame in decoded_frames(container, stream, deadline):
            meter.feed(frame)
            drawing.feed(frame)
        meter.end_file()
    return SongAnalysis(meter.result(), drawing.result())
