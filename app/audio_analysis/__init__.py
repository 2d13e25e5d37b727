"""Loudness (EBU R128 / ReplayGain 2.0), waveforms and transcoded streams of audio files.

Flask-free: background jobs, CLI commands and tests call these functions directly.

Why in-process PyAV: its wheels bundle FFmpeg's libraries (decoders, libavfilter's
``ebur128``, libopus, libmp3lame), so a fresh machine needs no system ``ffmpeg`` and every
value is FFmpeg's own; frames are decoded and dropped one at a time, so memory stays
bounded whatever the file's length. Each call takes a wall-clock ``time_limit`` checked
between packets. A CPU-time and memory ceiling needs a separate process, because a hung
decoder never returns to Python: a job runs the call through :func:`run_limited`, which
forks a child, sets ``RLIMIT_CPU``/``RLIMIT_AS`` with ``resource.setrlimit`` and returns
the child's result or raises :class:`AnalysisFailed`.
"""

from app.audio_analysis.decoding import AnalysisFailed, available
from app.audio_analysis.limits import run_limited
from app.audio_analysis.loudness import Loudness, album_loudness, loudness
from app.audio_analysis.song import SongAnalysis, analyse
from app.audio_analysis.transcoding import MP3_128, MP3_192, OPUS_96, PROFILES, Profile, transcode
from app.audio_analysis.waveform import Waveform, waveform

__all__ = [
    "MP3_128",
    "MP3_192",
    "OPUS_96",
    "PROFILES",
    "AnalysisFailed",
    "Loudness",
    "Profile",
    "SongAnalysis",
    "Waveform",
    "album_loudness",
    "analyse",
    "available",
    "loudness",
    "run_limited",
    "transcode",
    "waveform",
]
