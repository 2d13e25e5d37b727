"""A compact peaks array (min/max per bucket, per channel) drawn as a song's seek bar."""

import struct
from array import array
from dataclasses import dataclass
from pathlib import Path

from app.audio_analysis.decoding import (
    AnalysisFailed,
    Deadline,
    decoded_frames,
    open_audio,
    require_available,
    stream_shape,
)

MAGIC = b"SLWF"
VERSION = 1
HEADER = struct.Struct("<4sBBH")  # magic, version, channels, points
MAX_POINTS = 65535
SILENCE_U8 = 128  # unsigned 8-bit audio's zero
#: Fine buckets kept while decoding, per final point: enough to re-bucket a wrong length
#: guess evenly, few enough that an hour-long file stays small.
FINE_PER_POINT = 8


@dataclass(frozen=True)
class Waveform:
    """Per channel (at most 2), ``points`` (min, max) pairs as signed bytes (-128..127)."""

    channels: int
    points: int
    data: bytes  # channel-major: channel 0's pairs, then channel 1's

    def peaks(self, channel: int = 0) -> list[tuple[int, int]]:
        """One channel's (min, max) pairs, each -128..127 (0 is silence)."""
        values = array("b", self.data)
        start = channel * self.points * 2
        return [(values[i], values[i + 1]) for i in range(start, start + self.points * 2, 2)]

    def amplitudes(self, channel: int = 0) -> list[int]:
        """One channel's absolute peak per point, 0..128."""
        return [max(-low, high) for low, high in self.peaks(channel)]

    def to_bytes(self) -> bytes:
        """The stored form: an 8-byte header then the pairs (2 bytes per point and channel)."""
        return HEADER.pack(MAGIC, VERSION, self.channels, self.points) + self.data

    @classmethod
    def from_bytes(cls, blob: bytes) -> "Waveform":
        """Read back what to_bytes wrote; ValueError if it is not a waveform."""
        if len(blob) < HEADER.size:
            raise ValueError("not a stored waveform: too short")
        magic, version, channels, points = HEADER.unpack_from(blob)
        data = blob[HEADER.size :]
        if magic != MAGIC or version != VERSION or len(data) != channels * points * 2:
            raise ValueError("not a stored waveform of this version")
        return cls(channels, points, bytes(data))


def waveform(path: str | Path, points: int = 1000, time_limit: float = 120.0) -> Waveform:
    """The file's waveform: ``points`` buckets (fewer for very short files), 1 or 2 channels."""
    require_available()
    deadline = Deadline(time_limit)
    with open_audio(path) as (container, stream):
        drawing = WaveformDrawing(stream_shape(container, stream), points)
        for frame in decoded_frames(container, stream, deadline):
            drawing.feed(frame)
    return drawing.result()


class WaveformDrawing:
    """Builds a waveform from decoded frames fed one at a time."""

    def __init__(self, shape: tuple[int, str, int, int], points: int = 1000):
        import av

        if not 1 <= points <= MAX_POINTS:
            raise ValueError(f"points must be 1..{MAX_POINTS}")
        _rate, _layout, channels, guess = shape
        channels = min(channels, 2)
        block = max(16, min(8192, guess // (points * FINE_PER_POINT))) if guess else 1024
        # Planar unsigned 8-bit samples (128 is silence): the stored pairs keep 8 bits anyway,
        # and min()/max() over bytes run twice as fast as over 16-bit values.
        layout = "mono" if channels == 1 else "stereo"
        self.resampler = av.AudioResampler(format="u8p", layout=layout)
        self.fine = _FineBuckets(channels, block, points * FINE_PER_POINT)
        self.points = points

    def feed(self, frame) -> None:
        """Fold in one decoded frame."""
        frame.pts = None
        for converted in self.resampler.resample(frame):
            self.fine.add(converted)

    def result(self) -> Waveform:
        """The waveform once every frame has been fed."""
        for converted in self.resampler.resample(None):
            self.fine.add(converted)
        self.fine.close()
        if not self.fine.count:
            raise AnalysisFailed("not decodable: no audio decoded")
        return self.fine.reduce(self.points)


class _FineBuckets:
    """Min and max per fine bucket and channel; pairs merge when there are too many."""

    def __init__(self, channels: int, block: int, limit: int):
        self.channels = channels
        self.block = block
        self.limit = limit
        self.lows = [array("B") for _ in range(channels)]
        self.highs = [array("B") for _ in range(channels)]
        self.filled = 0  # samples in the bucket being filled
        self.low = [0] * channels
        self.high = [0] * channels

    @property
    def count(self) -> int:
        """How many fine buckets there are per channel."""
        return len(self.lows[0])

    def add(self, frame) -> None:
        """Fold one frame's samples into the buckets, ``block`` samples each."""
        planes = [bytes(frame.planes[c])[: frame.samples] for c in range(self.channels)]
        offset = 0
        while offset < frame.samples:
            take = min(self.block - self.filled, frame.samples - offset)
            for channel, samples in enumerate(planes):
                part = samples[offset : offset + take]
                low, high = min(part), max(part)
                if self.filled:
                    low, high = min(low, self.low[channel]), max(high, self.high[channel])
                self.low[channel], self.high[channel] = low, high
            self.filled += take
            offset += take
            if self.filled == self.block:
                self.close()

    def close(self) -> None:
        """End the bucket being filled (if any)."""
        if not self.filled:
            return
        for channel in range(self.channels):
            self.lows[channel].append(self.low[channel])
            self.highs[channel].append(self.high[channel])
        self.filled = 0
        if self.count > 2 * self.limit:  # the length guess was far too short
            for channel in range(self.channels):
                self.lows[channel] = _merge_pairs(self.lows[channel], min)
                self.highs[channel] = _merge_pairs(self.highs[channel], max)

    def reduce(self, points: int) -> Waveform:
        """Exactly ``points`` even buckets (or one per fine bucket if there are fewer)."""
        count = self.count
        points = min(points, count)
        data = array("b")
        for channel in range(self.channels):
            lows, highs = self.lows[channel], self.highs[channel]
            for point in range(points):
                start = point * count // points
                end = max(start + 1, (point + 1) * count // points)
                data.append(min(lows[start:end]) - SILENCE_U8)
                data.append(max(highs[start:end]) - SILENCE_U8)
        return Waveform(self.channels, points, data.tobytes())


def _merge_pairs(values: array, pick) -> array:
    """Neighbouring buckets merged two by two (a lone last one kept)."""
    return array("B", (pick(values[i : i + 2]) for i in range(0, len(values), 2)))
