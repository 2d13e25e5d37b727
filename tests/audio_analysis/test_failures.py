"""Hostile or broken files, time limits and CPU limits end in AnalysisFailed with a reason."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.audio_analysis import (
    OPUS_96,
    AnalysisFailed,
    album_loudness,
    analyse,
    available,
    loudness,
    run_limited,
    transcode,
    waveform,
)
from tests.audio_analysis.reference import FIXTURES

HOSTILE = {
    "html-disguised.mp3": "not decodable",
    "truncated.mp3": "not decodable",
    "not-audio-really-jpeg.mp3": "no audio stream",
    "empty.mp3": "not decodable",
}
DOORS = {
    "loudness": loudness,
    "album": lambda path: album_loudness([FIXTURES / "tone.flac", path]),
    "waveform": waveform,
    "analyse": analyse,
    "transcode": lambda path: next(transcode(path, OPUS_96)),
}


@pytest.mark.parametrize("door", sorted(DOORS))
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_fail_with_a_reason(pyav, door, name):
    """Every function refuses each hostile fixture with the reason a job records."""
    with pytest.raises(AnalysisFailed) as failure:
        DOORS[door](FIXTURES / name)
    assert failure.value.reason.startswith(HOSTILE[name])


def test_a_missing_file_fails_with_a_reason(pyav, tmp_path):
    """A file gone from the store is a failure with a reason, not an OSError."""
    with pytest.raises(AnalysisFailed, match="not decodable"):
        loudness(tmp_path / "gone.flac")


@pytest.mark.parametrize("door", ["loudness", "waveform", "analyse", "transcode"])
def test_running_over_time_fails(audio, door):
    """A call past its wall-clock limit stops between packets and says so."""
    calls = {
        "loudness": lambda: loudness(audio("loud"), time_limit=0),
        "waveform": lambda: waveform(audio("loud"), time_limit=0),
        "analyse": lambda: analyse(audio("loud"), time_limit=0),
        "transcode": lambda: list(transcode(audio("loud"), OPUS_96, time_limit=0)),
    }
    with pytest.raises(AnalysisFailed, match="ran over its time limit of 0 s"):
        calls[door]()


def test_available_says_ffmpeg_is_there(pyav):
    """With PyAV installed the check passes and names the FFmpeg version."""
    ok, reason = available()
    assert ok
    assert "FFmpeg" in reason


def spin_forever():
    """A stand-in for a decoder stuck in a loop."""
    while True:
        pass


def grow_forever():
    """A stand-in for a decoder that allocates without end."""
    hoard = []
    while True:
        hoard.append(bytearray(16 * 1024 * 1024))


def wait_forever():
    """A stand-in for a decoder blocked on a read that never returns."""
    time.sleep(3600)


def fail_politely():
    """A job body that fails on its own."""
    raise AnalysisFailed("no audio stream")


def test_run_limited_stops_a_spinning_function_by_cpu_time():
    """A function that spins forever is killed at its CPU limit; the caller gets a reason."""
    with pytest.raises(AnalysisFailed, match="ran over its CPU time limit of 1 s"):
        run_limited(spin_forever, cpu_seconds=1)


def test_run_limited_stops_a_waiting_function_by_wall_clock():
    """A child that waits without using CPU is killed at the wall-clock limit, named as such."""
    started = time.monotonic()
    with pytest.raises(AnalysisFailed, match="wall-clock limit of 1 s"):
        run_limited(wait_forever, cpu_seconds=5, wall_seconds=1)
    assert time.monotonic() - started < 5


def test_run_limited_stops_a_growing_function_by_memory():
    """A function that allocates without end fails at its memory limit, not the machine's."""
    with pytest.raises(AnalysisFailed, match="memory limit"):
        run_limited(grow_forever, cpu_seconds=20, memory_bytes=256 * 1024 * 1024)


def test_run_limited_returns_results_and_passes_failures_on(audio):
    """Results come back from the child as they are; its AnalysisFailed reaches the caller."""
    assert run_limited(loudness, audio("loud"), cpu_seconds=30) == loudness(audio("loud"))
    assert run_limited(os.getpid, cpu_seconds=5) != os.getpid()
    with pytest.raises(AnalysisFailed, match="no audio stream"):
        run_limited(fail_politely, cpu_seconds=5)


WITHOUT_PYAV = """
import sys
sys.modules["av"] = None  # `import av` now fails as on a machine without PyAV
import app.audio_analysis as analysis
print(analysis.available())
try:
    analysis.loudness("tests/fixtures/audio/tone.flac")
except analysis.AnalysisFailed as failure:
    print("failed:", failure.reason)
"""


def test_without_pyav_the_app_imports_and_jobs_wait_for_ffmpeg():
    """No PyAV: importing works, available() says why, and a job fails 'waiting for ffmpeg'."""
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_PYAV], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "(False, 'PyAV (FFmpeg libraries) is not installed" in result.stdout
    assert "failed: waiting for ffmpeg: PyAV (FFmpeg libraries) is not installed" in result.stdout
    assert result.stderr.count("Audio analysis is off") == 1  # said once, not per call
