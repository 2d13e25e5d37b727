"""Transcoded streams through the running app's real route: the first byte of an uncached
profile (target < 500 ms), the whole first request, and ranged requests from the cache.

.venv/bin/python bench/transcode_stream.py [--seconds 240] [--ranges 100]

Makes a stereo 44.1 kHz FLAC "song" of the given length with /usr/bin/ffmpeg, imports it
into `python run.py` on a fresh SQLite database, then asks /songs/stream/<id>?profile=...
for each profile: once uncached (time to the first body byte, and to the last), then with
64 KiB Range requests served from the cache.
"""

import argparse
import subprocess
import time
import urllib.request

from harness import Server

FFMPEG = "/usr/bin/ffmpeg"
PROFILES = ("opus-96", "mp3-128", "mp3-192")
SOURCE = "anoisesrc=c=pink:a=0.4:seed=7:d={seconds}"


def timed_get(client, path: str, headers: dict | None = None) -> tuple[float, float, int, int]:
    """(seconds to the first body byte, seconds to the last, bytes, status) of one GET."""
    request = urllib.request.Request(client.base + path, headers=headers or {})
    started = time.perf_counter()
    with client.opener.open(request, timeout=600) as response:
        first = response.read(1)
        first_byte = time.perf_counter() - started
        rest = response.read()
        status = response.status
    return first_byte, time.perf_counter() - started, len(first) + len(rest), status


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=240)
    parser.add_argument("--ranges", type=int, default=100)
    args = parser.parse_args()
    with Server() as server:
        library = server.folder / "library"
        library.mkdir()
        song = library / "long.flac"
        source = SOURCE.format(seconds=args.seconds)
        command = [FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", source, "-ac", "2"]
        subprocess.run([*command, "-ar", "44100", str(song)], check=True)
        server.flask("catalog", "import", str(library))
        client = server.client()
        song_id = 5  # the four demo songs come first
        megabytes = song.stat().st_size / 1024 / 1024
        print(f"source: {args.seconds} s FLAC, {megabytes:.1f} MiB")
        for profile in PROFILES:
            path = f"/songs/stream/{song_id}?profile={profile}"
            first_byte, whole, size, status = timed_get(client, path)
            assert status == 200, status
            print(
                f"{profile}: uncached first byte {first_byte * 1000:.0f} ms, whole "
                f"{size / 1024:.0f} KiB in {whole:.2f} s ({args.seconds / whole:.0f}x real time)"
            )
            started = time.perf_counter()
            for index in range(args.ranges):
                offset = (index * 7919 * 512) % max(size - 65536, 1)
                _, _, _, status = timed_get(
                    client, path, {"Range": f"bytes={offset}-{offset + 65535}"}
                )
                assert status == 206, status
            each = (time.perf_counter() - started) / args.ranges
            print(
                f"{profile}: cached 64 KiB range {each * 1000:.1f} ms each ({args.ranges} requests)"
            )


if __name__ == "__main__":
    main()
