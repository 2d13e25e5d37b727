"""Transcoded streams (Ogg Opus, MP3) made by FFmpeg's encoders, yielded as they are encoded."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.audio_analysis.decoding import (
    AnalysisFailed,
    Deadline,
    decoded_frames,
    open_audio,
    require_available,
)

#: Small output buffer so the first bytes leave as soon as the muxer has written a page.
OUTPUT_BUFFER = 4096
#: Chunks handed on once this much is waiting (the Ogg muxer writes page by page).
CHUNK_BYTES = 16 * 1024


@dataclass(frozen=True)
class Profile:
    """One kind of transcoded stream: encoder, bitrate, container and what clients are told."""

    name: str
    codec: str  # FFmpeg encoder
    codec_name: str  # what ffprobe reports for the output
    bitrate: int  # bits per second
    container: str  # FFmpeg muxer
    content_type: str
    suffix: str
    sample_rates: tuple[int, ...]  # the encoder's rates, the first is used otherwise
    options: tuple[tuple[str, str], ...] = ()  # encoder options


# Constrained VBR: Opus's plain VBR strays far from the bitrate a client asked for
# (64 kbit/s on noise, 138 on a bright mix); constrained stays within a few percent.
OPUS_96 = Profile(
    "opus-96",
    "libopus",
    "opus",
    96_000,
    "ogg",
    "audio/ogg",
    "opus",
    (48000,),
    (("vbr", "constrained"),),
)
MP3_128 = Profile(
    "mp3-128", "libmp3lame", "mp3", 128_000, "mp3", "audio/mpeg", "mp3", (44100, 48000, 32000)
)
MP3_192 = Profile(
    "mp3-192", "libmp3lame", "mp3", 192_000, "mp3", "audio/mpeg", "mp3", (44100, 48000, 32000)
)
PROFILES = {profile.name: profile for profile in (OPUS_96, MP3_128, MP3_192)}


class _Chunks:
    """A write-only, unseekable file for the muxer: it streams, never seeks back."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        """Keep a copy of what the muxer wrote."""
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def take(self) -> bytes:
        """Everything written since the last take."""
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


def transcode(path: str | Path, profile: Profile, time_limit: float = 300.0) -> Iterator[bytes]:
    """The file re-encoded with ``profile``, as byte chunks while encoding (bounded memory).

    Errors (AnalysisFailed) are raised by the first ``next()``; a client may stop early.
    """
    import av

    require_available()
    deadline = Deadline(time_limit)
    with open_audio(path) as (container, stream):
        rate = stream.codec_context.sample_rate
        if rate not in profile.sample_rates:
            rate = profile.sample_rates[0]
        layout = "mono" if stream.codec_context.layout.nb_channels == 1 else "stereo"
        sink = _Chunks()
        try:
            output = av.open(sink, "w", format=profile.container, buffer_size=OUTPUT_BUFFER)
        except av.FFmpegError as error:
            raise AnalysisFailed(f"cannot write {profile.container}: {error}") from error
        try:
            encoder = output.add_stream(
                profile.codec, rate=rate, layout=layout, options=dict(profile.options)
            )
            encoder.codec_context.bit_rate = profile.bitrate
            first = True
            for frame in decoded_frames(container, stream, deadline):
                frame.pts = None  # the encoder's own resampler numbers the samples
                output.mux(encoder.encode(frame))
                if sink.size >= (1 if first else CHUNK_BYTES):
                    first = False
                    yield sink.take()
            output.mux(encoder.encode(None))
        except av.FFmpegError as error:
            raise AnalysisFailed(f"cannot encode {profile.name}: {error}") from error
        finally:
            output.close()
        if sink.size:
            yield sink.take()
