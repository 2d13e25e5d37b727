"""An upload's response time with the song's analysis in the request (as before background
jobs) and handed to the task queue (as now): the analysis must not be in the answer.

.venv/bin/python bench/upload_response.py [--uploads 5] [--seconds 180]

Each mode serves `python run.py` on its own SQLite database and uploads the same distinct
MP3s (a sine of its own pitch each, made by Debian's ffmpeg, 192 kbit/s stereo):
- "in the request": no broker, CATALOG_JOBS_EAGER=true (the job runs before the answer);
- "task queue": CATALOG_JOBS_BROKER_URL on the local Redis (the job is only sent; no
  worker runs it here), or CATALOG_JOBS_DEFER=true when no Redis answers.
"""

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import redis
from harness import Server

FFMPEG = "/usr/bin/ffmpeg"
BROKER = "redis://127.0.0.1:6379/13"


def songs(folder: Path, count: int, seconds: int) -> list[Path]:
    """`count` MP3s of `seconds` each, every one a different pitch (a different file)."""
    made = []
    for number in range(count):
        path = folder / f"song-{number}.mp3"
        source = f"sine=frequency={220 + 37 * number}:duration={seconds}"
        command = [FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", source]
        command += ["-ac", "2", "-b:a", "192k", str(path)]
        subprocess.run(command, check=True, timeout=300)
        made.append(path)
    return made


def queue_settings() -> tuple[str, dict]:
    """The label and settings of the task-queue mode: the local Redis, else deferred."""
    try:
        redis.Redis.from_url(BROKER, socket_timeout=2).ping()
    except redis.RedisError:
        return "task queue (deferred: no Redis)", {"CATALOG_JOBS_DEFER": "true"}
    return "task queue (Redis, sent only)", {"CATALOG_JOBS_BROKER_URL": BROKER}


def timed_uploads(settings: dict, files: list[Path]) -> list[float]:
    """Seconds each upload took to answer, on a fresh server with these settings."""
    with Server(**settings) as server:
        client = server.client()
        times = []
        for number, path in enumerate(files):
            started = time.perf_counter()
            status = client.upload(
                "/songs/add", {"album": "1", "title": f"Bench {number}"}, "audio_file", path
            )
            times.append(time.perf_counter() - started)
            if status != 200:
                raise SystemExit(f"upload answered HTTP {status}")
    return times


def main() -> None:
    """Run both modes and print their response times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=180, help="length of each song")
    options = parser.parse_args()
    if not shutil.which(FFMPEG):
        raise SystemExit(f"{FFMPEG} is needed to make the songs (apt-get install ffmpeg)")
    folder = Path(tempfile.mkdtemp(prefix="setlist-songs-"))
    files = songs(folder, options.uploads, options.seconds)
    size = statistics.mean(path.stat().st_size for path in files) / 1024 / 1024
    print(f"{options.uploads} uploads of {options.seconds} s MP3s ({size:.1f} MiB each)")
    label, settings = queue_settings()
    for name, mode in (("in the request", {"CATALOG_JOBS_EAGER": "true"}), (label, settings)):
        times = timed_uploads(mode, files)
        print(
            f"{name:32} p50 {statistics.median(times) * 1000:7.0f} ms   "
            f"max {max(times) * 1000:7.0f} ms"
        )


if __name__ == "__main__":
    main()
