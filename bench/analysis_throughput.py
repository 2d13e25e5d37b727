"""Audio analysis per worker core: loudness + waveform speed, memory per job, transcodes.

    .venv/bin/python bench/analysis_throughput.py [--minutes 3] [--long 3]

Makes a stereo 44.1 kHz "song" of the given length with /usr/bin/ffmpeg (pink noise under a
slow swell, with a tone), as MP3 192k and FLAC, then runs every job in a forked child and
reads the child's own rusage (os.wait4): CPU seconds (so "x real time per core" is audio
seconds / CPU seconds, whatever else the machine runs) and peak RSS (ru_maxrss, which
includes the forked interpreter: an idle child is printed as the baseline). A file --long
times longer shows memory does not grow with length. Targets: loudness + waveform >= 50x
real time per core; first byte of a transcode < 500 ms.
"""

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import PROJECT

sys.path.insert(0, str(PROJECT))

from app.audio_analysis import PROFILES, analyse, available, loudness, transcode, waveform

FFMPEG = "/usr/bin/ffmpeg"
SOURCE = (
    "anoisesrc=c=pink:a=0.5:seed=7:d={seconds},volume='0.3+0.7*abs(sin(t/9))':eval=frame[n];"
    "sine=f=330:d={seconds},volume=0.3[s];[n][s]amix=inputs=2"
)


def make_song(folder: Path, seconds: int, suffix: str, options: list[str]) -> Path:
    """A generated song file of the given length and format."""
    path = folder / f"song-{seconds}s.{suffix}"
    source = SOURCE.format(seconds=seconds)
    command = [FFMPEG, "-v", "error", "-y", "-filter_complex", source, "-ac", "2"]
    subprocess.run([*command, "-ar", "44100", *options, str(path)], check=True)
    return path


def in_child(func, *args) -> tuple[object, float, float, int]:
    """(result, wall s, CPU s, peak RSS KiB) of func(*args) run in a forked child."""
    reader, writer = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(reader)
        with os.fdopen(writer, "wb") as pipe:
            pickle.dump(func(*args), pipe)
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        result = pickle.load(pipe)
    _pid, _status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    return result, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def idle() -> None:
    """Nothing: the baseline memory of a forked child."""


def both(path: Path) -> int:
    """Loudness, then the waveform: two decoding passes."""
    loudness(path)
    return len(waveform(path).to_bytes())


def one_pass(path: Path) -> int:
    """A song's analysis job as the jobs run it: both from one decoding pass (analyse)."""
    return len(analyse(path).waveform.to_bytes())


def transcode_timed(path: Path, name: str) -> tuple[float, int]:
    """(seconds to the first chunk, total bytes) of one transcode."""
    started = time.perf_counter()
    first, total = None, 0
    for chunk in transcode(path, PROFILES[name]):
        if first is None:
            first = time.perf_counter() - started
        total += len(chunk)
    return first, total


def main() -> None:
    """Make the songs, run the jobs and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--long", type=int, default=3, help="length factor of the long file")
    options = parser.parse_args()
    ok, reason = available()
    if not ok:
        raise SystemExit(reason)
    print(f"decoder: {reason}; CPU cores: {os.cpu_count()}")
    seconds = int(options.minutes * 60)
    with tempfile.TemporaryDirectory(prefix="setlist-analysis-") as folder:
        folder = Path(folder)
        songs = {
            "mp3 192k": make_song(folder, seconds, "mp3", ["-b:a", "192k"]),
            "flac": make_song(folder, seconds, "flac", []),
        }
        longer = make_song(folder, seconds * options.long, "mp3", ["-b:a", "192k"])
        _none, _wall, _cpu, baseline = in_child(idle)
        print(f"\nforked child baseline RSS: {baseline / 1024:.1f} MiB")
        print(f"\n{seconds} s of audio    job                  x real time/core  wall s  peak MiB")
        for label, path in songs.items():
            for job, func in (
                ("loudness", loudness),
                ("waveform", waveform),
                ("both", both),
                ("analyse (one pass)", one_pass),
            ):
                _result, wall, cpu, rss = in_child(func, path)
                print(f"{label:20} {job:20} {seconds / cpu:15.0f}x {wall:7.2f} {rss / 1024:9.1f}")
        _result, wall, cpu, rss = in_child(one_pass, longer)
        print(
            f"{'mp3, ' + str(seconds * options.long) + ' s':20} {'analyse (one pass)':20} "
            f"{seconds * options.long / cpu:15.0f}x {wall:7.2f} {rss / 1024:9.1f}"
        )
        print(
            f"\ntranscode of {seconds} s FLAC  first byte ms  total s  x real time/core  "
            "kbit/s  peak MiB"
        )
        for name in PROFILES:
            (first, size), wall, cpu, rss = in_child(transcode_timed, songs["flac"], name)
            print(
                f"{name:26} {first * 1000:13.0f} {wall:8.2f} {seconds / cpu:17.0f}x "
                f"{size * 8 / seconds / 1000:7.0f} {rss / 1024:9.1f}"
            )


if __name__ == "__main__":
    main()
